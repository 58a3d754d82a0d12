using Npgsql;

namespace MeiLing.Silo.Schema;

/// <summary>
/// Brings the schema up to date before Orleans starts (it is registered ahead of the silo, and hosted
/// services start in order). Waits for PostgreSQL for a while, so silos may start before the database.
/// </summary>
internal sealed partial class SchemaMigrationService(SchemaMigrator migrator, ILogger<SchemaMigrationService> logger) : IHostedService
{
    private static readonly TimeSpan PatienceForDatabase = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + PatienceForDatabase;
        while (true)
        {
            try
            {
                var applied = await migrator.MigrateAsync(cancellationToken);
                LogSchemaReady(applied);
                return;
            }
            catch (NpgsqlException exception) when (exception.IsTransient && DateTimeOffset.UtcNow < deadline)
            {
                LogWaitingForDatabase(exception.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema is up to date ({Applied} migrations applied now)")]
    private partial void LogSchemaReady(int applied);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for PostgreSQL: {Reason}")]
    private partial void LogWaitingForDatabase(string reason);
}
