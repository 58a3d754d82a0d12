using MeiLing.Silo.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MeiLing.Tests.Infrastructure;

/// <summary>
/// A fresh PostgreSQL database with the platform's schema, on the server that <c>scripts/test</c>
/// starts (<c>MEILING_TEST_POSTGRES</c>); dropped when disposed.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string ServerVariable = "MEILING_TEST_POSTGRES";

    private readonly string _serverConnectionString;

    private TestDatabase(string serverConnectionString, string name)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>The server <c>scripts/test</c> started, which the test collections share.</summary>
    public static string SharedServer => Environment.GetEnvironmentVariable(ServerVariable)
        ?? throw new InvalidOperationException(
            $"{ServerVariable} is not set: run the tests with scripts/test, which starts a private PostgreSQL.");

    /// <summary>Creates an empty database; <paramref name="migrate"/> applies the schema too.</summary>
    public static Task<TestDatabase> CreateAsync(bool migrate = true) => CreateAsync(SharedServer, migrate);

    /// <summary>Creates an empty database on <paramref name="server"/> (a connection string to its <c>postgres</c> database).</summary>
    public static async Task<TestDatabase> CreateAsync(string server, bool migrate = true)
    {
        var database = new TestDatabase(server, $"meiling_test_{Guid.NewGuid():N}");
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database.Name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        if (migrate)
        {
            await database.NewMigrator().MigrateAsync();
        }

        return database;
    }

    public SchemaMigrator NewMigrator() => new(DataSource, NullLogger<SchemaMigrator>.Instance);

    public async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Runs a statement with the database's triggers off, as a privileged attacker (a superuser session)
    /// could: the append-only guards do not stop it, and only the hash chain can show what it did.
    /// </summary>
    public async Task<int> BypassingTriggersAsync(string sql, params object[] parameters)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var replica = new NpgsqlCommand("SET LOCAL session_replication_role = replica", connection, transaction))
        {
            await replica.ExecuteNonQueryAsync();
        }

        int changed;
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            foreach (var parameter in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = parameter });
            }

            changed = await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return changed;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_serverConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
