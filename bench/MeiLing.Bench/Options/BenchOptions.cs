namespace MeiLing.Bench.Options;

/// <summary>What one run of the benchmark does, after the command line and environment are read.</summary>
public sealed record BenchOptions
{
    public const string DefaultApi = "http://127.0.0.1:5080";
    public const string DefaultPostgres = "Host=127.0.0.1;Port=55432;Username=postgres;Database=meiling";

    /// <summary>Base address of the API under test.</summary>
    public required Uri Api { get; init; }

    /// <summary>Operator key (X-Api-Key) for setup calls that need it; null when none was given.</summary>
    public string? OperatorKey { get; init; }

    /// <summary>Npgsql connection string of the system's PostgreSQL (for the write ceiling).</summary>
    public required string Postgres { get; init; }

    /// <summary>Scenario names, in the order they run.</summary>
    public required IReadOnlyList<string> Scenarios { get; init; }

    /// <summary>Closed-loop concurrency levels; every scenario runs once at each.</summary>
    public required IReadOnlyList<int> Concurrency { get; init; }

    /// <summary>How long each measurement lasts, unless <see cref="Requests"/> is set.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>When set, each measurement stops after this many requests instead of after a time.</summary>
    public long? Requests { get; init; }

    /// <summary>Unmeasured load before each measurement (JIT, connection pools, grain activation).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Users registered and signed in during setup, shared by the per-user scenarios.</summary>
    public int Users { get; init; } = 200;

    /// <summary>Per-request timeout.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>When set, the results are also written there as JSON.</summary>
    public string? JsonPath { get; init; }
}
