using System.Globalization;

namespace MeiLing.FaultCheck;

/// <summary>What one run does: where the API is, how hard to write, and when to break and heal the platform.</summary>
public sealed record CheckOptions
{
    public const string Usage = """
        MeiLing.FaultCheck — write through the API while a fault is injected, then read every acknowledged write back.

          --api URL                 the API (required), e.g. http://127.0.0.1:5181
          --operator-key KEY        an operator API key (required)
          --duration SECONDS        how long writes run (default 40)
          --merchant-workers N      concurrent merchant creators (default 4)
          --user-workers N          concurrent user registrations (default 2)
          --fault-at SECONDS        when to run --fault, from the start of the writes
          --fault COMMAND           a bash command that breaks something (kill a silo, stop PostgreSQL)
          --heal-at SECONDS         when to run --heal
          --heal COMMAND            a bash command that repairs it (start PostgreSQL)
          --max-recovery SECONDS    errors are allowed from the fault until this long after the heal
                                    (or after the fault, without --heal) (default 20)
          --quiet                   no per-second progress lines

        Exit code 0 only when no acknowledged write is lost, every failure was a 503 problem+json inside
        the allowed window, and writes succeeded again after it.
        """;

    public required Uri Api { get; init; }

    public required string OperatorKey { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(40);

    public int MerchantWorkers { get; init; } = 4;

    public int UserWorkers { get; init; } = 2;

    public ScheduledCommand? Fault { get; init; }

    public ScheduledCommand? Heal { get; init; }

    public TimeSpan MaxRecovery { get; init; } = TimeSpan.FromSeconds(20);

    public bool Quiet { get; init; }

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static CheckOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var quiet = false;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--quiet")
            {
                quiet = true;
                continue;
            }

            if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"Unexpected argument '{name}' (options take a value: --name VALUE).");
            }

            values[name] = args[++i];
        }

        string? Take(string name) => values.Remove(name, out var value) ? value : null;
        string Required(string name) => Take(name) ?? throw new ArgumentException($"{name} is required.");

        var options = new CheckOptions
        {
            Api = new Uri(Required("--api")),
            OperatorKey = Required("--operator-key"),
            Duration = Seconds(Take("--duration"), "--duration") ?? TimeSpan.FromSeconds(40),
            MerchantWorkers = Count(Take("--merchant-workers"), "--merchant-workers") ?? 4,
            UserWorkers = Count(Take("--user-workers"), "--user-workers") ?? 2,
            Fault = Scheduled("fault", Take("--fault-at"), Take("--fault")),
            Heal = Scheduled("heal", Take("--heal-at"), Take("--heal")),
            MaxRecovery = Seconds(Take("--max-recovery"), "--max-recovery") ?? TimeSpan.FromSeconds(20),
            Quiet = quiet,
        };

        if (values.Count > 0)
        {
            throw new ArgumentException($"Unknown option {values.Keys.First()}.");
        }

        if (options.Heal is not null && (options.Fault is null || options.Heal.At < options.Fault.At))
        {
            throw new ArgumentException("--heal needs a --fault that comes first.");
        }

        if (options.MerchantWorkers + options.UserWorkers == 0)
        {
            throw new ArgumentException("At least one worker is needed.");
        }

        return options;
    }

    private static ScheduledCommand? Scheduled(string name, string? at, string? command) => (at, command) switch
    {
        (null, null) => null,
        ({ } when, { } what) => new ScheduledCommand(name, Seconds(when, $"--{name}-at")!.Value, what),
        _ => throw new ArgumentException($"--{name}-at and --{name} go together."),
    };

    private static TimeSpan? Seconds(string? value, string name) =>
        value is null ? null
        : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : throw new ArgumentException($"{name} must be a number of seconds.");

    private static int? Count(string? value, string name) =>
        value is null ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count <= 256
            ? count
            : throw new ArgumentException($"{name} must be 0-256.");
}

/// <summary>A bash command run once, <see cref="At"/> after the writes start.</summary>
public sealed record ScheduledCommand(string Name, TimeSpan At, string Command);
