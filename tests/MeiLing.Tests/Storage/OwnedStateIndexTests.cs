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
    public async Task P4_1_the_owner_index_follows_a_state_through_rewrites_erasure_resealing_and_deletion()
    {
        // A state row of its own, written the way the storage writes: the index must follow every change of owner, and
        // only those (a rewrite under the same owner leaves it as it was: see migration 0048).
        var key = $"owned_{Guid.NewGuid():N}";
        Task WriteAsync(string payload) => platform.Database.ScalarAsync<int>(
            """
            WITH written AS (
                INSERT INTO orleans_storage (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_string, grain_type_hash, grain_id_hash, payload, version)
                VALUES ('owned-test', 'order', 0, 0, $1, 0, 0, convert_to($2, 'UTF8'), 1)
                ON CONFLICT (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_string)
                DO UPDATE SET payload = excluded.payload, version = orleans_storage.version + 1
                RETURNING 1)
            SELECT count(*)::integer FROM written
            """, key, payload);
        Task<string?> OwnerAsync() => platform.Database.ScalarAsync<string>(
            "SELECT user_id FROM user_owned_states WHERE service_id = 'owned-test' AND grain_id_string = $1", key);
        static string Sealed(string owner, string body) => $$"""{"Marker":"sealed","Owner":"{{owner}}","Nonce":"{{body}}"}""";

        try
        {
            await WriteAsync(Sealed("usr_first", "a"));
            var written = await OwnerAsync();
            await WriteAsync(Sealed("usr_first", "b"));
            var rewritten = await OwnerAsync();
            await WriteAsync("""{"OrderId":"anonymized"}""");
            var erased = await OwnerAsync();
            await WriteAsync(Sealed("usr_second", "c"));
            var resealed = await OwnerAsync();
            await WriteAsync(Sealed("usr_third", "d"));
            var reowned = await OwnerAsync();
            await platform.Database.ScalarAsync<int>(
                "WITH gone AS (DELETE FROM orleans_storage WHERE service_id = 'owned-test' AND grain_id_string = $1 RETURNING 1) SELECT count(*)::integer FROM gone", key);
            var deleted = await OwnerAsync();

            Assert.Equal("usr_first", written);
            Assert.Equal("usr_first", rewritten);
            Assert.Null(erased);
            Assert.Equal("usr_second", resealed);
            Assert.Equal("usr_third", reowned);
            Assert.Null(deleted);
        }
        finally
        {
            await platform.Database.ScalarAsync<int>("DELETE FROM orleans_storage WHERE service_id = 'owned-test'; SELECT 1");
        }
    }

    [Theory]
    [InlineData("""{"Marker":"sealed","Owner":"usr_abc","Nonce":"x"}""", "usr_abc")]
    [InlineData("""{"Marker":"sealed","Owner":"","Nonce":"x"}""", null)]
    [InlineData("""{"Marker":"sealed","Owner":"usr_abc""", null)]
    [InlineData("""{"Marker":"clear","Owner":"usr_abc","Nonce":"x"}""", null)]
    [InlineData("""{"OrderId":"ord_1","UserId":"usr_abc"}""", null)]
    public async Task P4_1_the_owner_is_read_only_off_a_sealed_envelopes_prefix(string payload, string? owner)
    {
        Assert.Equal(owner, await platform.Database.ScalarAsync<string>("SELECT sealed_state_owner(convert_to($1, 'UTF8'))", payload));
    }

    [Fact]
    public async Task P4_1_the_owner_is_read_inline_in_the_trigger_not_through_a_function_call_per_transaction()
    {
        // Inlined, the plan shows the envelope's prefix read in place; not inlined, a call to the function, which the
        // owned-states trigger of every new grain state then paid for by parsing its body again (migration 0063).
        var plan = await PlanAsync("EXPLAIN VERBOSE SELECT sealed_state_owner(payload) FROM orleans_storage");

        Assert.Contains(plan, line => line.Contains("Output: CASE WHEN", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("sealed_state_owner(", StringComparison.Ordinal));
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
            var plan = await PlanAsync("EXPLAIN " + OwnedStateIndex.GrainTypesOfUserSql, "usr_explain_42");

            Assert.Contains(plan, line => line.Contains("ix_user_owned_states_user", StringComparison.Ordinal));
            Assert.DoesNotContain(plan, line => line.Contains("Seq Scan", StringComparison.Ordinal));
        }
        finally
        {
            await platform.Database.ScalarAsync<int>("DELETE FROM user_owned_states WHERE service_id = 'explain'; SELECT 1");
        }
    }

    private async Task<List<string>> PlanAsync(string explain, params object[] parameters)
    {
        var plan = new List<string>();
        await using var command = platform.Database.DataSource.CreateCommand(explain);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new() { Value = parameter });
        }

        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(0));
        }

        return plan;
    }
}
