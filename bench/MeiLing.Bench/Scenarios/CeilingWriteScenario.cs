using System.Globalization;
using MeiLing.Bench.Http;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Bench.Scenarios;

/// <summary>
/// Single-row upserts straight through Npgsql, one connection per worker, autocommit: every request is
/// a durable commit (as durable as the server's synchronous_commit/fsync settings, which setup reports).
/// The write ceiling: no API, no cluster, just what one PostgreSQL commit costs here.
/// </summary>
public sealed class CeilingWriteScenario : IScenario, IAsyncDisposable
{
    private const int IdRange = 100_000;
    private const int PayloadBytes = 200;

    private const string CreateTable = """
        CREATE TABLE IF NOT EXISTS bench_ceiling (id int PRIMARY KEY, payload jsonb, at timestamptz)
        """;

    private const string Upsert = """
        INSERT INTO bench_ceiling (id, payload, at) VALUES ($1, $2, now())
        ON CONFLICT (id) DO UPDATE SET payload = excluded.payload, at = excluded.at
        """;

    private readonly List<string> _notes = [];
    private NpgsqlDataSource? _dataSource;

    public string Name => "ceiling-write";

    public string Description => "single-row durable upserts via Npgsql, one connection per worker (the write ceiling)";

    public Ceiling Provides => Ceiling.Write;

    public Ceiling ComparedWith => Ceiling.None;

    public IReadOnlyList<string> Notes => _notes;

    public async Task SetupAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlDataSourceBuilder(context.Options.Postgres);
        builder.ConnectionStringBuilder.MaxPoolSize = Math.Max(builder.ConnectionStringBuilder.MaxPoolSize, context.Options.Concurrency.Max());
        _dataSource = builder.Build();

        await using var connection = await OpenAsync(cancellationToken);
        await using (var create = new NpgsqlCommand(CreateTable, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var settings = new List<string>();
        foreach (var setting in new[] { "server_version", "synchronous_commit", "fsync", "wal_sync_method", "max_connections" })
        {
            await using var show = new NpgsqlCommand($"SHOW {setting}", connection);
            settings.Add($"{setting}={await show.ExecuteScalarAsync(cancellationToken)}");
        }

        _notes.Add($"PostgreSQL {string.Join(", ", settings)}");
    }

    public async ValueTask<IScenarioWorker> CreateWorkerAsync(WorkerContext worker, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        var command = new NpgsqlCommand(Upsert, connection);
        var id = new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer };
        var payload = new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Jsonb };
        command.Parameters.Add(id);
        command.Parameters.Add(payload);
        await command.PrepareAsync(cancellationToken);
        return new Worker(worker, connection, command, id, payload);
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var dataSource = _dataSource ?? throw new InvalidOperationException("SetupAsync has not run");
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (NpgsqlException exception) when (exception is not PostgresException)
        {
            // No server answered (refused, timed out); a PostgresException is a server that said no.
            throw new SystemUnreachableException($"PostgreSQL does not answer ({exception.Message})", exception);
        }
    }

    // About 200 bytes of JSON, different on every write, shaped like a small consent record.
    private static string Payload(int id, long sequence)
    {
        var json = string.Create(CultureInfo.InvariantCulture,
            $$"""{"id":{{id}},"seq":{{sequence}},"purpose":"personalization","granted":true,"policyVersion":"bench-1","at":"{{DateTimeOffset.UtcNow:O}}","pad":""");
        // The opening quote of the pad, the pad, and the closing '"}' bring it to PayloadBytes.
        return string.Concat(json, "\"", new string('x', Math.Max(0, PayloadBytes - json.Length - 3)), "\"}");
    }

    private sealed class Worker(
        WorkerContext context, NpgsqlConnection connection, NpgsqlCommand command, NpgsqlParameter<int> id, NpgsqlParameter<string> payload)
        : IScenarioWorker
    {
        public async ValueTask<int> ExecuteAsync(CancellationToken cancellationToken)
        {
            id.TypedValue = context.Random.Next(1, IdRange + 1);
            payload.TypedValue = Payload(id.TypedValue, context.Sequence);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return 200;
        }

        public async ValueTask DisposeAsync()
        {
            await command.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
