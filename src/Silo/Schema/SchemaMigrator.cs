using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MeiLing.Silo.Schema;

/// <summary>
/// Applies the embedded, numbered SQL migrations (<c>Migrations/NNNN_name.sql</c>) to a PostgreSQL database.
/// Idempotent, and safe when several silos start at the same moment: the whole run holds a
/// session-level advisory lock, and each migration commits in its own transaction together with
/// its row in <c>schema_migrations</c>. A migration whose first line is <see cref="Migration.NoTransactionMarker"/>
/// runs its statements one by one outside any transaction, as <c>CREATE INDEX CONCURRENTLY</c> must (an index built
/// inside the migrator's transaction blocks every insert into its table while the first silo of a roll builds it).
/// </summary>
public sealed partial class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    // Any constant shared by every silo of every version; "MeiLing" in ASCII.
    private const long AdvisoryLockKey = 0x4D65694C696E67;

    // How long a silo waits between two tries of the lock another silo holds while it migrates.
    private static readonly TimeSpan LockRetryDelay = TimeSpan.FromMilliseconds(100);

    // How long a migration in a transaction waits for a table lock. An ALTER TABLE waiting for its ACCESS EXCLUSIVE lock
    // behind a long transaction queues every later reader and writer of the table behind itself: with no limit (and no
    // command timeout), one idle-in-transaction session would stop all writes to that table for as long as it stayed open.
    // 5 s outlasts the platform's own short transactions (grain writes, outbox batches); past it the migration fails with
    // 55P03 lock_not_available, which Npgsql counts transient, so SchemaMigrationService tries again a second later, until
    // its start deadline, each try holding up the table at most 5 s.
    private const string MigrationLockTimeout = "5s";

    /// <summary>The migrations this build carries, in the order they apply.</summary>
    public static IReadOnlyList<Migration> Embedded { get; } = LoadEmbedded();

    /// <summary>Brings the database up to the newest embedded migration; returns how many were applied.</summary>
    public Task<int> MigrateAsync(CancellationToken cancellationToken = default) => MigrateAsync(Embedded, cancellationToken);

    /// <summary>Brings the database up to the newest of <paramref name="migrations"/> (in version order).</summary>
    public async Task<int> MigrateAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await TakeLockAsync(connection, cancellationToken);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations
                (
                    version    integer     NOT NULL PRIMARY KEY,
                    name       text        NOT NULL,
                    checksum   text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken);

            var applied = await ReadAppliedAsync(connection, cancellationToken);
            var count = 0;
            foreach (var migration in migrations)
            {
                if (applied.TryGetValue(migration.Version, out var checksum))
                {
                    if (checksum != migration.Checksum)
                    {
                        throw new InvalidOperationException(
                            $"Migration {migration.Version:D4}_{migration.Name} was changed after it was applied; add a new migration instead.");
                    }

                    continue;
                }

                await ApplyAsync(connection, migration, cancellationToken);
                LogApplied(migration.Version, migration.Name);
                count++;
            }

            return count;
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    // Tried, not waited for: a silo waiting in pg_advisory_lock waits inside its statement's transaction, and CREATE INDEX
    // CONCURRENTLY, run by the silo holding the lock, waits for every transaction open as it starts to end. Each would wait
    // for the other (40P01 deadlock detected, and a silo failing to start in a roll). A try ends its transaction at once.
    private static async Task TakeLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({AdvisoryLockKey})", connection);
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return;
            }

            await Task.Delay(LockRetryDelay, cancellationToken);
        }
    }

    private static async Task ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        if (!migration.InTransaction)
        {
            await ApplyOutsideTransactionAsync(connection, migration, cancellationToken);
            return;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var limit = new NpgsqlCommand($"SET LOCAL lock_timeout = '{MigrationLockTimeout}'", connection, transaction))
        {
            await limit.ExecuteNonQueryAsync(cancellationToken);
        }

        // No command timeout, as outside a transaction: an index build or backfill longer than Npgsql's default 30 s was
        // cancelled, retried from scratch until the start deadline, and the silo did not start, blocking the table each try.
        await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction) { CommandTimeout = 0 })
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await RecordAsync(connection, transaction, migration, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    // Each statement commits by itself, so one that fails leaves the ones before it applied and the migration unrecorded:
    // the next start runs it again from its first statement. Such a migration is written to be run again (DROP INDEX
    // CONCURRENTLY IF EXISTS before its CREATE INDEX CONCURRENTLY also removes the invalid index a failed build leaves).
    private static async Task ApplyOutsideTransactionAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        foreach (var statement in migration.Statements())
        {
            // One statement a command: several in one are an implicit transaction block, which CONCURRENTLY refuses.
            await using var command = new NpgsqlCommand(statement, connection) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await RecordAsync(connection, transaction: null, migration, cancellationToken);
    }

    private static async Task RecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Migration migration, CancellationToken cancellationToken)
    {
        await using var record = new NpgsqlCommand(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", connection, transaction);
        record.Parameters.Add(new() { Value = migration.Version });
        record.Parameters.Add(new() { Value = migration.Name });
        record.Parameters.Add(new() { Value = migration.Checksum });
        await record.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        const string Prefix = "migrations/";
        return [.. assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Migration.FromResource(assembly, name, name[Prefix.Length..^4]))
            .OrderBy(migration => migration.Version)];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {Version:D4} {Name}")]
    private partial void LogApplied(int version, string name);
}

/// <summary>One numbered SQL script.</summary>
public sealed record Migration(int Version, string Name, string Sql, string Checksum)
{
    /// <summary>
    /// The first line of a migration that runs outside a transaction, a statement at a time. Its statements end with
    /// <c>;</c> at the end of a line, and none holds such a line inside it (no function bodies, no quoted text).
    /// </summary>
    public const string NoTransactionMarker = "-- meiling:no-transaction";

    /// <summary>Whether the migration commits as one transaction with its <c>schema_migrations</c> row (the default).</summary>
    public bool InTransaction => !Sql.TrimStart().StartsWith(NoTransactionMarker, StringComparison.Ordinal);

    /// <summary>
    /// The statements of a migration run outside a transaction, comment lines left out, in order. A statement holding a
    /// <c>;</c> anywhere but at its end (a trailing comment, two statements on a line) would run with the next as one
    /// command, in the implicit transaction CONCURRENTLY refuses: refused here, so the silo says which migration.
    /// </summary>
    public IReadOnlyList<string> Statements()
    {
        var statements = new List<string>();
        var statement = new StringBuilder();
        foreach (var line in Sql.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.TrimStart().StartsWith("--", StringComparison.Ordinal))
            {
                continue;
            }

            statement.AppendLine(line);
            if (line.TrimEnd().EndsWith(';'))
            {
                statements.Add(statement.ToString().Trim());
                statement.Clear();
            }
        }

        if (statement.ToString().Trim() is { Length: > 0 } unterminated)
        {
            statements.Add(unterminated);
        }

        return statements.Find(text => text.TrimEnd(';').Contains(';', StringComparison.Ordinal)) is { } joined
            ? throw new InvalidOperationException(
                $"Migration {Version:D4}_{Name} runs outside a transaction, so each of its statements ends a line with ';' and holds no other: '{joined}'.")
            : statements;
    }

    /// <summary>A migration built from its text, as an embedded one is from its file.</summary>
    public static Migration FromText(int version, string name, string sql) =>
        new(version, name, sql, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n")))));

    internal static Migration FromResource(Assembly assembly, string resourceName, string fileStem)
    {
        var stem = fileStem;
        var separator = stem.IndexOf('_', StringComparison.Ordinal);
        var version = int.Parse(stem[..separator], System.Globalization.CultureInfo.InvariantCulture);
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Missing embedded migration {resourceName}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return FromText(version, stem[(separator + 1)..], reader.ReadToEnd());
    }
}
