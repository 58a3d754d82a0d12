using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MeiLing.Bench.Http;
using MeiLing.Bench.Load;
using MeiLing.Bench.Options;
using MeiLing.Bench.Scenarios;
using MeiLing.Bench.Scenarios.Commerce;
using MeiLing.Bench.Studies;
using Npgsql;

namespace MeiLing.Bench.Compare;

/// <summary>
/// The two steps of bench/compare that wrk cannot do: seeding both sides with the same users and
/// products, and the open-loop half-load study. wrk does the closed-loop measuring.
/// </summary>
public static class CompareCommands
{
    public const string Seed = "compare-seed";
    public const string OpenLoopCommand = "open-loop";

    public static bool Handles(IReadOnlyList<string> args) => args.Count > 0 && args[0] is Seed or OpenLoopCommand;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Count; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        try
        {
            return args[0] == Seed
                ? await SeedAsync(options, cancellationToken)
                : await OpenLoopAsync(options, cancellationToken);
        }
        catch (KeyNotFoundException missing)
        {
            await Console.Error.WriteLineAsync($"{args[0]}: {missing.Message}");
            return 2;
        }
    }

    /// <summary>
    /// Registers and signs in the pool on the platform (through its API), creates a merchant and its
    /// catalogue there, then gives the conventional service's tables the same merchant (its key's
    /// hash), products and users' consents. Users' tokens are the platform's: the conventional service
    /// validates them under the same key. Writes users.lua and setup.lua for the wrk scripts, and customers.lua: the
    /// users the order load is placed for, the pool and as many more (<c>--customers</c>, registered without signing
    /// in) as keep the merchant under the platform's daily allowance of orders for one user.
    /// </summary>
    private static async Task<int> SeedAsync(Dictionary<string, string> options, CancellationToken cancellationToken)
    {
        var output = Directory.CreateDirectory(options["out"]).FullName;
        var users = int.Parse(options["users"], CultureInfo.InvariantCulture);
        using var http = BenchHttp.Create(new Uri(options["api"]), 16, TimeSpan.FromSeconds(60));
        var api = new ApiClient(http, options["operator-key"]);

        var policy = await api.EnsurePolicyVersionAsync(BenchContext.FallbackPolicyVersion, cancellationToken);
        var merchant = await Merchant.CreateAsync(api, "compare shop", cancellationToken);
        var pool = await UserPool.CreateAsync(api, users, cancellationToken);
        var customerCount = options.TryGetValue("customers", out var customersText) ? int.Parse(customersText, CultureInfo.InvariantCulture) : users;
        var extraCustomers = customerCount > pool.Count
            ? (await UserPool.CreateAsync(api, customerCount - pool.Count, cancellationToken, signIn: false)).Users
            : [];

        await using (var database = NpgsqlDataSource.Create(options["postgres"]))
        await using (var batch = database.CreateBatch())
        {
            batch.BatchCommands.Add(With(new NpgsqlBatchCommand(
                "INSERT INTO conv_merchants (merchant_id, key_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING"),
                merchant.MerchantId, SHA256.HashData(Encoding.UTF8.GetBytes(merchant.ApiKey))));
            batch.BatchCommands.Add(With(new NpgsqlBatchCommand(
                "INSERT INTO conv_products (merchant_id, sku, price_fen) SELECT $1, * FROM unnest($2::text[], $3::bigint[]) ON CONFLICT DO NOTHING"),
                merchant.MerchantId,
                Merchant.EverydaySkus.Append(Merchant.DearSku).ToArray(),
                Merchant.EverydaySkus.Select((_, i) => Merchant.EverydayPriceFen(i)).Append(Merchant.DearPriceFen).ToArray()));
            // Where every purpose stands, as the platform's read answers it: one row per purpose.
            batch.BatchCommands.Add(With(new NpgsqlBatchCommand("""
                INSERT INTO conv_consents (user_id, purpose, granted, policy_version, changed_at)
                SELECT u, p, false, $3, now() FROM unnest($1::text[]) u CROSS JOIN unnest($2::text[]) p ON CONFLICT DO NOTHING
                """),
                pool.Users.Select(user => user.UserId).ToArray(),
                new[] { "location", "album", "calendar", "personalization", "notifications", "marketing-sharing", "third-party-sources" },
                policy));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        var lua = new StringBuilder("return {\n");
        foreach (var user in pool.Users)
        {
            lua.Append(CultureInfo.InvariantCulture, $"  {{ \"{user.UserId}\", \"{user.Token}\" }},\n");
        }

        await File.WriteAllTextAsync(Path.Combine(output, "users.lua"), lua.Append("}\n").ToString(), cancellationToken);
        var customers = new StringBuilder("return {\n");
        foreach (var customer in pool.Users.Concat(extraCustomers))
        {
            customers.Append(CultureInfo.InvariantCulture, $"  {{ \"{customer.UserId}\" }},\n");
        }

        await File.WriteAllTextAsync(Path.Combine(output, "customers.lua"), customers.Append("}\n").ToString(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(output, "setup.lua"), $$"""
            return {
              merchant = "{{merchant.MerchantId}}",
              key = "{{merchant.ApiKey}}",
              policy = "{{policy}}",
              skus = { {{string.Join(", ", Merchant.EverydaySkus.Select(sku => $"\"{sku}\""))}} },
            }

            """, cancellationToken);
        Console.WriteLine($"seeded {pool.Count} users ({pool.Count + extraCustomers.Count} customers), merchant {merchant.MerchantId}, policy {policy} into {output}");
        return 0;
    }

    /// <summary>consent-read or /v1/ping at a fixed rate, open loop; one parseable line.</summary>
    private static async Task<int> OpenLoopAsync(Dictionary<string, string> options, CancellationToken cancellationToken)
    {
        var rate = double.Parse(options["rate"], CultureInfo.InvariantCulture);
        var workers = int.Parse(options["workers"], CultureInfo.InvariantCulture);
        if (!DurationText.TryParse(options["duration"], out var duration) || rate <= 0 || workers <= 0)
        {
            await Console.Error.WriteLineAsync("open-loop: bad --rate, --workers or --duration");
            return 2;
        }

        var route = options["route"];
        var url = new Uri(options["url"]);
        var requests = route == "ping"
            ? [RawHttpConnection.EncodeGet(url, ApiRequests.PingPath, bearer: null)]
            : (await ReadUsersAsync(options["users"], cancellationToken))
                .Select(user => RawHttpConnection.EncodeGet(url, ApiRequests.ConsentsPath(user.UserId), user.Token)).ToArray();
        var warmup = options.TryGetValue("warmup", out var warmupText) && DurationText.TryParse(warmupText, out var parsed) ? parsed : TimeSpan.FromSeconds(2);
        // With the operator key, the host's collector and thread pool are read before and after (not during: the reading
        // is a request of its own), and the schedule's late moments go to stderr beside them.
        var operatorKey = options.GetValueOrDefault("operator-key");
        var before = operatorKey is null ? null : await RuntimeReading.ReadAsync(url, operatorKey, cancellationToken);
        var result = await OpenLoop.RunAsync(url, rate, workers, warmup, duration, TimeSpan.FromSeconds(30),
            (w, k) => requests[(int)((w + (k * workers)) % requests.Length)], cancellationToken);
        var after = before is null ? null : await RuntimeReading.ReadAsync(url, operatorKey!, cancellationToken);
        ReportSlowEpisodes(result.SlowEpisodes);
        foreach (var pause in after?.LongPausesSince(before!) ?? [])
        {
            Console.Error.WriteLine($"      {pause}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"OPENLOOP requests={result.Requests} errors={result.Errors} achieved={result.Achieved:0.0} p50={result.P50:0.00} p99={result.P99:0.00} max={result.Max:0.00} client_stall={result.ClientStall:0} client_cpu_ms={Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds:0}") +
            (after is null ? "" : " " + after.Since(before!)));
        return 0;
    }

    /// <summary>
    /// The schedule's late moments, on stderr: the eight with the worst answers, in the order they came, and how many
    /// more there were.
    /// </summary>
    private static void ReportSlowEpisodes(IReadOnlyList<SlowEpisode> episodes)
    {
        const int Shown = 8;
        foreach (var episode in episodes.OrderByDescending(e => e.WorstMs).Take(Shown).OrderBy(e => e.OffsetSeconds))
        {
            Console.Error.WriteLine($"      late: {episode}");
        }

        if (episodes.Count > Shown)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"      late: {episodes.Count - Shown} shorter episodes more ({episodes.Sum(e => e.Answers)} late answers in all)"));
        }
    }

    /// <summary>The pool from the users.lua seed wrote: one <c>{ "usr_…", "token" }</c> per line.</summary>
    private static async Task<List<(string UserId, string Token)>> ReadUsersAsync(string path, CancellationToken cancellationToken) =>
        [.. (await File.ReadAllLinesAsync(path, cancellationToken))
            .Select(line => line.Split('"'))
            .Where(parts => parts.Length >= 5)
            .Select(parts => (parts[1], parts[3]))];

    private static NpgsqlBatchCommand With(NpgsqlBatchCommand command, params object[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
