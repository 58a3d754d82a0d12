using System.Security.Cryptography;
using MeiLing.Grains.Privacy.Encryption;
using MeiLing.Silo;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MeiLing.Tests.Hosting;

/// <summary>
/// P4.1, P4.4: a silo started with another master key or phone-hash key than the cluster's data was written with served
/// traffic: it wrapped new users' data keys under a key no other silo holds (503 everywhere else, unreadable for good once
/// it was fixed), re-wrapped every stored key under its own copy when its first key differed, or hashed phones otherwise
/// (a number registered twice). Each start now compares its keys with the check values the cluster recorded.
/// </summary>
public sealed class KeyConsistencyTests : IAsyncLifetime
{
    private const string OtherPhoneHashKey = "another-phone-hash-key-0123456789abcdef";
    private const string DiffersFromTheClusters = "differs from the one the cluster's data was written with";

    private static readonly string TestKeyId = TestSiloConfigurator.MasterKeys.Split(':')[0];

    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(migrate: false);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task P4_1_P4_4_the_first_silo_records_its_keys_check_values_and_a_silo_with_the_same_keys_starts_again()
    {
        await AssertStartsAsync(TestSiloConfigurator.MasterKeys);
        await AssertStartsAsync(TestSiloConfigurator.MasterKeys);

        Assert.Equal(
            new[] { "master-key:" + TestKeyId, "phone-hash-key" },
            await TextsAsync("SELECT key_name FROM platform_key_checks ORDER BY key_name"));
        // A check value tells keys apart without revealing them.
        Assert.Empty(await _database.FindEverywhereAsync(TestSiloConfigurator.PhoneHashKey));
        var masterKey = Convert.FromBase64String(TestSiloConfigurator.MasterKeys.Split(':')[1]);
        Assert.Equal(0L, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM platform_key_checks WHERE position($1 in check_value) > 0", masterKey));
    }

    [Fact]
    public async Task P4_1_a_silo_with_another_master_key_under_the_clusters_id_refuses_to_start_naming_the_variable_and_adds_or_rewraps_no_data_key()
    {
        await AssertStartsAsync(TestSiloConfigurator.MasterKeys);
        await StoreDataKeyAsync("usr_key_check_one");
        var keysBefore = await DataKeysAsync();

        var error = RefusedStart(MasterKeyRing.NewKeyText(TestKeyId));

        Assert.Contains("MEILING_MASTER_KEYS", error, StringComparison.Ordinal);
        Assert.Contains($"'{TestKeyId}' {DiffersFromTheClusters}", error, StringComparison.Ordinal);
        Assert.DoesNotContain("MEILING_PHONE_HASH_KEY", error, StringComparison.Ordinal);
        Assert.Equal(keysBefore, await DataKeysAsync());
    }

    // The rotation's promote step run with a wrong copy of the new key: its MasterKeyRotationService re-wrapped every
    // stored data key under that copy, which no other silo holds.
    [Fact]
    public async Task P4_1_a_silo_whose_first_master_key_differs_from_the_staged_one_refuses_to_start_before_rewrapping_anything()
    {
        // Staged: the new key after the current one, recorded by the first silo that has it.
        await AssertStartsAsync($"{TestSiloConfigurator.MasterKeys},{MasterKeyRing.NewKeyText("k2")}");
        await StoreDataKeyAsync("usr_key_check_two");
        var keysBefore = await DataKeysAsync();

        var error = RefusedStart($"{MasterKeyRing.NewKeyText("k2")},{TestSiloConfigurator.MasterKeys}");

        Assert.Contains("MEILING_MASTER_KEYS", error, StringComparison.Ordinal);
        Assert.Contains($"'k2' {DiffersFromTheClusters}", error, StringComparison.Ordinal);
        Assert.Equal(keysBefore, await DataKeysAsync());
        Assert.All(keysBefore, row => Assert.StartsWith($"{TestKeyId} ", row.Split(' ', 2)[1], StringComparison.Ordinal));
    }

    [Fact]
    public async Task P4_4_a_silo_with_another_phone_hash_key_refuses_to_start_naming_the_variable()
    {
        await AssertStartsAsync(TestSiloConfigurator.MasterKeys);

        var error = RefusedStart(TestSiloConfigurator.MasterKeys, OtherPhoneHashKey);

        Assert.Contains($"MEILING_PHONE_HASH_KEY {DiffersFromTheClusters}", error, StringComparison.Ordinal);
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM platform_key_checks WHERE key_name = 'phone-hash-key'"));
    }

    [Fact]
    public async Task P4_1_a_silo_lacking_a_master_key_that_wraps_stored_data_keys_refuses_to_start_naming_the_key()
    {
        await AssertStartsAsync(TestSiloConfigurator.MasterKeys);
        await StoreDataKeyAsync("usr_key_check_three");

        var error = RefusedStart(MasterKeyRing.NewKeyText("k9"));

        Assert.Contains($"MEILING_MASTER_KEYS (or MEILING_MASTER_KEYS_FILE) lacks the master key '{TestKeyId}'", error, StringComparison.Ordinal);
        // Refused whole: the new id's check value is not kept either.
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM platform_key_checks WHERE key_name = 'master-key:k9'"));
    }

    // A cluster whose data keys were stored before the check values were kept: the first silo to record a key must open
    // one of the data keys under its id, or a wrong key recorded first would refuse every right one.
    [Fact]
    public async Task P4_1_a_silo_recording_a_master_key_that_does_not_open_the_data_keys_stored_under_its_id_refuses_to_start()
    {
        await AssertStartsAsync(TestSiloConfigurator.MasterKeys);
        await StoreDataKeyAsync("usr_key_check_four");
        await _database.ScalarAsync<long>("DELETE FROM platform_key_checks");

        var error = RefusedStart(MasterKeyRing.NewKeyText(TestKeyId));
        var checksAfterRefusal = await _database.ScalarAsync<long>("SELECT count(*) FROM platform_key_checks");
        await AssertStartsAsync(TestSiloConfigurator.MasterKeys);

        Assert.Contains($"'{TestKeyId}' does not open the data keys stored under '{TestKeyId}'", error, StringComparison.Ordinal);
        Assert.Equal(0L, checksAfterRefusal);
    }

    private async Task AssertStartsAsync(string masterKeys)
    {
        await using var silo = Silo(masterKeys, TestSiloConfigurator.PhoneHashKey);
        var ready = await silo.CreateClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    private string RefusedStart(string masterKeys, string phoneHashKey = TestSiloConfigurator.PhoneHashKey)
    {
        using var silo = Silo(masterKeys, phoneHashKey);
        return Assert.ThrowsAny<Exception>(() => silo.Server).ToString();
    }

    private WebApplicationFactory<SiloAssemblyMarker> Silo(string masterKeys, string phoneHashKey)
    {
        var ports = FreePorts.Take(3);
        var clusterId = $"keys-{Guid.NewGuid():N}"[..20];
        return new WebApplicationFactory<SiloAssemblyMarker>().WithWebHostBuilder(web =>
        {
            web.UseSetting("POSTGRES", _database.ConnectionString);
            web.UseSetting("CLUSTER_ID", clusterId);
            web.UseSetting("SILO_PORT", ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("GATEWAY_PORT", ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("DASHBOARD_PORT", ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("SILO_NAME", "key-check-test");
            web.UseSetting("PHONE_HASH_KEY", phoneHashKey);
            web.UseSetting("MASTER_KEYS", masterKeys);
        });
    }

    // A user's data key as UserDataKeys stores it on its first use: random, wrapped under the test ring's current key.
    private async Task StoreDataKeyAsync(string userId)
    {
        var ring = MasterKeyRing.Parse(TestSiloConfigurator.MasterKeys);
        await _database.ScalarAsync<long>(
            "INSERT INTO user_data_keys (user_id, master_key_id, wrapped_key) VALUES ($1, $2, $3)",
            userId, ring.CurrentId, ring.Wrap(RandomNumberGenerator.GetBytes(MasterKeyRing.KeyBytes), userId));
    }

    private Task<List<string>> DataKeysAsync() =>
        TextsAsync("SELECT user_id || ' ' || master_key_id || ' ' || encode(wrapped_key, 'hex') FROM user_data_keys ORDER BY user_id");

    private async Task<List<string>> TextsAsync(string sql)
    {
        var texts = new List<string>();
        await using var command = _database.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            texts.Add(reader.GetString(0));
        }

        return texts;
    }
}
