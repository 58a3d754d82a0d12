using MeiLing.Silo.Schema;

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
