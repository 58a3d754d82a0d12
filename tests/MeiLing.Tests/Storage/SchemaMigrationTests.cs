using MeiLing.Silo.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MeiLing.Tests.Storage;

public sealed class SchemaMigrationTests
{
    [Fact]
    public async Task A_second_run_applies_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);

        var first = await database.NewMigrator().MigrateAsync();
        var second = await database.NewMigrator().MigrateAsync();

        Assert.Equal(SchemaMigrator.Embedded.Count, first);
        Assert.Equal(0, second);
    }

    [Fact]
    public async Task Silos_starting_at_the_same_moment_apply_each_migration_once()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);

        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => database.NewMigrator().MigrateAsync()));

        Assert.Equal(SchemaMigrator.Embedded.Count, applied.Sum());
        Assert.Equal(SchemaMigrator.Embedded.Count, await database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    // Built in the migrator's transaction, an index on a large table blocked every insert into it while the first silo of
    // a roll built it; PostgreSQL refuses CONCURRENTLY inside a transaction block.
    [Fact]
    public async Task A_migration_marked_no_transaction_builds_its_index_concurrently_and_is_recorded()
    {
        await using var database = await TestDatabase.CreateAsync();

        var applied = await database.NewMigrator().MigrateAsync([.. SchemaMigrator.Embedded, ConcurrentIndex]);

        Assert.Equal(1, applied);
        Assert.True(await IndexIsValidAsync(database));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations WHERE version = $1", ConcurrentIndex.Version));
    }

    // A silo that died between the index and the migration's row left the index built and the migration unrecorded (or an
    // invalid index, had the build itself failed): the next start runs it again from its first statement.
    [Fact]
    public async Task A_no_transaction_migration_stopped_part_way_runs_again_from_its_first_statement()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.ScalarAsync<int>("CREATE INDEX ix_price_changes_by_staff ON price_changes (staff_id)");

        var applied = await database.NewMigrator().MigrateAsync([.. SchemaMigrator.Embedded, ConcurrentIndex]);

        Assert.Equal(1, applied);
        Assert.True(await IndexIsValidAsync(database));
    }

    // A trailing comment after a statement's ';' joined it with the next into one command, an implicit transaction in which
    // CONCURRENTLY fails, and the silo did not start, saying only what PostgreSQL said.
    [Fact]
    public void A_no_transaction_migration_with_a_statement_not_ending_its_line_is_refused_naming_itself_and_every_embedded_one_splits()
    {
        var joined = Migration.FromText(9002, "joined", $"""
            {Migration.NoTransactionMarker}
            DROP INDEX CONCURRENTLY IF EXISTS ix_a; -- why
            CREATE INDEX CONCURRENTLY ix_a ON price_changes (staff_id);
            """);

        var refused = Assert.Throws<InvalidOperationException>(() => joined.Statements());

        Assert.Contains("9002_joined", refused.Message, StringComparison.Ordinal);
        Assert.All(SchemaMigrator.Embedded.Where(migration => !migration.InTransaction), migration => Assert.NotEmpty(migration.Statements()));
    }

    // A migration in a transaction ran under Npgsql's default 30 s command timeout (only the no-transaction path had none):
    // an index build or backfill longer than that was cancelled, tried again from scratch until the start deadline, each try
    // blocking the table, and the silo did not start. Here the data source's own timeout is 1 s and the migration takes 2.
    [Fact]
    public async Task A_migration_in_a_transaction_longer_than_the_command_timeout_is_applied_and_recorded()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var impatient = NpgsqlDataSource.Create(
            new NpgsqlConnectionStringBuilder(database.ConnectionString) { CommandTimeout = 1 }.ConnectionString);
        var slow = Migration.FromText(9003, "slow_backfill", "SELECT pg_sleep(2);");

        var applied = await new SchemaMigrator(impatient, NullLogger<SchemaMigrator>.Instance).MigrateAsync([.. SchemaMigrator.Embedded, slow]);

        Assert.Equal(1, applied);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations WHERE version = $1", slow.Version));
    }

    // With no command timeout, an ALTER waiting for its table's lock behind a long transaction would wait for good, and every
    // later reader and writer of the table would queue behind it. It gives up after the migrator's lock timeout with 55P03
    // lock_not_available, which the silo's start-up counts transient (NpgsqlException.IsTransient) and tries again, and it
    // leaves the migration unrecorded and the migrators' advisory lock free, so the next try applies it.
    [Fact]
    public async Task A_migration_in_a_transaction_waiting_on_a_table_lock_gives_up_transiently_and_applies_on_the_next_try()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var holder = await database.DataSource.OpenConnectionAsync();
        await using var open = await holder.BeginTransactionAsync();
        await using (var read = new NpgsqlCommand("SELECT count(*) FROM price_changes", holder, open))
        {
            await read.ExecuteScalarAsync();
        }

        var alter = Migration.FromText(9004, "price_changes_note", "ALTER TABLE price_changes ADD COLUMN note text;");
        // Well short of the 30 s command timeout a migration had, so that without a lock timeout this is cancelled, not failed.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var error = await Assert.ThrowsAsync<PostgresException>(
            () => database.NewMigrator().MigrateAsync([.. SchemaMigrator.Embedded, alter], patience.Token));

        Assert.Equal(PostgresErrorCodes.LockNotAvailable, error.SqlState);
        Assert.True(error.IsTransient);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations WHERE version = $1", alter.Version));

        await open.RollbackAsync();
        Assert.Equal(1, await database.NewMigrator().MigrateAsync([.. SchemaMigrator.Embedded, alter]));
    }

    private static Migration ConcurrentIndex { get; } = Migration.FromText(9001, "price_changes_by_staff", $"""
        {Migration.NoTransactionMarker}
        -- An index of a test's own, on a table the schema has.
        DROP INDEX CONCURRENTLY IF EXISTS ix_price_changes_by_staff;
        CREATE INDEX CONCURRENTLY ix_price_changes_by_staff
            ON price_changes (staff_id);
        """);

    private static async Task<bool> IndexIsValidAsync(TestDatabase database) => await database.ScalarAsync<bool>(
        "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_price_changes_by_staff'::regclass");

    [Fact]
    public async Task The_schema_holds_every_query_the_Orleans_providers_read()
    {
        await using var database = await TestDatabase.CreateAsync();
        string[] expected =
        [
            "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
            "MembershipReadRowKey", "MembershipReadAllKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
            "CleanupDefunctSiloEntriesKey", "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
            "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
            "DeleteReminderRowKey", "DeleteReminderRowsKey",
        ];

        foreach (var key in expected)
        {
            Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM OrleansQuery WHERE QueryKey = $1", key));
        }
    }
}
