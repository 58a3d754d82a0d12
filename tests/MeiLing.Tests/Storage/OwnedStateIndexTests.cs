using MeiLing.Grains.Privacy.Encryption;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.Storage;

/// <summary>Erasure verification finds a user's sealed grain states through the owner index, not by scanning every state.</summary>
[Collection(PlatformCollection.Name)]
public sealed class OwnedStateIndexTests(PlatformFixture platform)
{
    [Fact]
    public async Task P4_1_a_users_sealed_state_is_indexed_under_its_owner_as_it_is_written()
    {
        var user = await platform.RegisterUserAsync();

        var types = await new OwnedStateIndex(platform.Database.DataSource).GrainTypesOfUserAsync(user.UserId);

        Assert.Contains(types, type => type.Contains("user", StringComparison.Ordinal));
    }

    [Fact]
    public async Task P4_1_the_verification_query_uses_the_owner_index_whatever_the_platforms_size()
    {
        // Enough states of other users that a scan would cost more than the index, as on a real platform.
        await platform.Database.ScalarAsync<int>("""
            INSERT INTO user_owned_states (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_string, user_id)
            SELECT 'explain', 'order', 0, 0, 'ord_explain_' || n, 'usr_explain_' || (n % 5000) FROM generate_series(1, 50000) AS n;
            ANALYZE user_owned_states;
            SELECT 1
            """);
        try
        {
            var plan = new List<string>();
            await using (var explain = platform.Database.DataSource.CreateCommand("EXPLAIN " + OwnedStateIndex.GrainTypesOfUserSql))
            {
                explain.Parameters.Add(new() { Value = "usr_explain_42" });
                await using var reader = await explain.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    plan.Add(reader.GetString(0));
                }
            }

            Assert.Contains(plan, line => line.Contains("ix_user_owned_states_user", StringComparison.Ordinal));
            Assert.DoesNotContain(plan, line => line.Contains("Seq Scan", StringComparison.Ordinal));
        }
        finally
        {
            await platform.Database.ScalarAsync<int>("DELETE FROM user_owned_states WHERE service_id = 'explain'; SELECT 1");
        }
    }
}
