using System.Globalization;

namespace MeiLing.Bench.Options;

/// <summary>What the command line asked for: a run, the help text, the scenario list, or a usage error.</summary>
public abstract record ParsedCommand
{
    public sealed record Run(BenchOptions Options) : ParsedCommand;

    public sealed record Help : ParsedCommand;

    public sealed record List : ParsedCommand;

    public sealed record Invalid(string Message) : ParsedCommand;
}

/// <summary>Reads the command line, falling back to the environment (MEILING_API_URL, MEILING_OPERATOR_KEY, MEILING_POSTGRES).</summary>
public static class OptionsParser
{
    public const string Usage = """
        Usage: MeiLing.Bench [options]

        Benchmarks a running MeiLing system (start it with scripts/run). Every scenario warms up, then
        measures with a closed loop of N workers (each sends its next request when the last one answered).

          --scenario LIST     comma-separated scenario names, or `all` (default: all); see --list
          --duration TIME     how long each measurement lasts (default 10s; 500ms, 10s, 2m)
          --requests N        measure N requests instead of a duration
          --concurrency LIST  workers; a comma-separated list runs every scenario at each level (default 32)
          --warmup TIME       unmeasured load before each measurement (default 2s; 0 for none)
          --users N           users registered in setup for the per-user scenarios (default 200,
                              raised to the highest concurrency so no two workers share a user)
          --timeout TIME      per-request timeout (default 30s)
          --api URL           API base address (default $MEILING_API_URL, else http://127.0.0.1:5080)
          --operator-key KEY  operator key for setup (default $MEILING_OPERATOR_KEY)
          --postgres CS       Npgsql connection string for ceiling-write (default $MEILING_POSTGRES, else
                              Host=127.0.0.1;Port=55432;Username=postgres;Database=meiling)
          --json PATH         also write the results as JSON to PATH
          --list              list the scenarios and exit
          -h, --help          print this text

        Exit status: 0 when the run finished (errors are reported, not fatal), 1 when the API or
        PostgreSQL is unreachable, 2 for a usage error.
        """;

    public static ParsedCommand Parse(IReadOnlyList<string> args, IReadOnlyList<string> knownScenarios, Func<string, string?> environment)
    {
        string api = environment("MEILING_API_URL") is { Length: > 0 } envApi ? envApi : BenchOptions.DefaultApi;
        string? operatorKey = environment("MEILING_OPERATOR_KEY") is { Length: > 0 } envKey ? envKey : null;
        string postgres = environment("MEILING_POSTGRES") is { Length: > 0 } envPg ? envPg : BenchOptions.DefaultPostgres;
        IReadOnlyList<string> scenarios = knownScenarios;
        IReadOnlyList<int> concurrency = [32];
        var defaults = new BenchOptions { Api = new Uri(BenchOptions.DefaultApi), Postgres = postgres, Scenarios = scenarios, Concurrency = concurrency };
        var duration = defaults.Duration;
        var warmup = defaults.Warmup;
        var timeout = defaults.Timeout;
        var users = defaults.Users;
        long? requests = null;
        string? json = null;

        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = Split(args[i]);
            switch (name)
            {
                case "-h" or "--help":
                    return new ParsedCommand.Help();
                case "--list":
                    return new ParsedCommand.List();
            }

            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                return new ParsedCommand.Invalid($"unexpected argument '{args[i]}'");
            }

            if (inlineValue is null && i + 1 >= args.Count)
            {
                return new ParsedCommand.Invalid($"{name} needs a value");
            }

            var value = inlineValue ?? args[++i];

            string? error = name switch
            {
                "--scenario" or "--scenarios" => ParseScenarios(value, knownScenarios, out scenarios),
                "--duration" => ParseDuration(name, value, out duration, positive: true),
                "--warmup" => ParseDuration(name, value, out warmup, positive: false),
                "--timeout" => ParseDuration(name, value, out timeout, positive: true),
                "--requests" => ParsePositive(name, value, out var count) ?? Assign(out requests, count),
                "--concurrency" => ParseConcurrency(value, out concurrency),
                "--users" => ParsePositive(name, value, out var pool) ?? Assign(out users, (int)Math.Min(pool, 100_000)),
                "--api" => Assign(out api, value),
                "--operator-key" => Assign(out operatorKey, value),
                "--postgres" => Assign(out postgres, value),
                "--json" => Assign(out json, value),
                _ => $"unknown option {name}",
            };
            if (error is not null)
            {
                return new ParsedCommand.Invalid(error);
            }
        }

        if (!Uri.TryCreate(api, UriKind.Absolute, out var apiUri) || apiUri.Scheme is not ("http" or "https"))
        {
            return new ParsedCommand.Invalid($"--api must be an http(s) URL, got '{api}'");
        }

        return new ParsedCommand.Run(defaults with
        {
            Api = apiUri,
            OperatorKey = operatorKey,
            Postgres = postgres,
            Scenarios = scenarios,
            Concurrency = concurrency,
            Duration = duration,
            Requests = requests,
            Warmup = warmup,
            Users = users,
            Timeout = timeout,
            JsonPath = json,
        });
    }

    private static (string Name, string? Value) Split(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 2 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }

    private static string? Assign<T>(out T target, T value)
    {
        target = value;
        return null;
    }

    private static string? ParseScenarios(string value, IReadOnlyList<string> known, out IReadOnlyList<string> scenarios)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        scenarios = names.Any(n => n.Equals("all", StringComparison.OrdinalIgnoreCase))
            ? known
            : [.. names.Select(n => n.ToLowerInvariant()).Distinct()];
        var unknown = scenarios.Where(n => !known.Contains(n)).ToList();
        if (scenarios.Count == 0)
        {
            return "--scenario needs at least one name";
        }

        return unknown.Count == 0 ? null : $"unknown scenario(s): {string.Join(", ", unknown)} (known: {string.Join(", ", known)})";
    }

    private static string? ParseConcurrency(string value, out IReadOnlyList<int> levels)
    {
        var parsed = new List<int>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var level) || level is < 1 or > 4096)
            {
                levels = [];
                return $"--concurrency takes whole numbers from 1 to 4096, got '{part}'";
            }

            parsed.Add(level);
        }

        levels = [.. parsed.Distinct()];
        return levels.Count == 0 ? "--concurrency needs at least one level" : null;
    }

    private static string? ParseDuration(string name, string value, out TimeSpan duration, bool positive)
    {
        if (!DurationText.TryParse(value, out duration))
        {
            return $"{name} takes a duration like 500ms, 10s or 2m, got '{value}'";
        }

        return positive && duration <= TimeSpan.Zero ? $"{name} must be more than zero" : null;
    }

    private static string? ParsePositive(string name, string value, out long number) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number > 0
            ? null
            : $"{name} takes a positive whole number, got '{value}'";
}
