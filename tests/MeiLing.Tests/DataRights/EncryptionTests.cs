using System.Text.Json;
using MeiLing.Grains.Privacy.Encryption;
using MeiLing.Grains.Users;
using MeiLing.Tests.Api;
using MeiLing.Tests.Infrastructure;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.Users;
using Orleans.TestingHost;

namespace MeiLing.Tests.DataRights;

[Collection(PlatformCollection.Name)]
public sealed class EncryptionTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_2_personal_fields_are_stored_sealed_under_the_users_own_key()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var shop = await platform.OpenShopAsync();
        var delivery = CommerceApiClient.SampleDelivery();
        await shop.PlaceOrderAsync(delivery);
        await shop.CustomerClient.SetConsentAsync(shop.Customer.UserId, "location", true, version);
        await shop.CustomerClient.PostLocationAsync(shop.Customer.UserId, 34.123456, 108.654321);

        foreach (var needle in new[] { shop.Customer.Phone, "小美", "李雷", "科技路", "34.123456" })
        {
            Assert.Empty(await platform.Database.FindEverywhereAsync(needle));
        }

        Assert.Equal(1L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM user_data_keys WHERE user_id = $1", shop.Customer.UserId));
    }

    [Fact]
    public async Task P4_1_after_cancellation_copies_taken_before_it_cannot_be_decrypted()
    {
        var shop = await platform.OpenShopAsync();
        await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery());
        // A "backup": the user's sealed row as it was before the cancellation.
        var backup = await platform.Database.ScalarAsync<string>(
            "SELECT convert_from(payload, 'UTF8') FROM orleans_storage WHERE grain_id_string = $1", shop.Customer.UserId);
        var envelope = SealedEnvelope.Parse(JsonDocument.Parse(backup!).RootElement);
        var sealedBytes = Convert.FromBase64String(envelope.Data);
        var context = SealedEnvelope.Context(envelope.V, "user", platform.Grains.GetGrain<IUserGrain>(shop.Customer.UserId).GetGrainId(), envelope.Owner);
        // Whoever holds a backup, the database and the master keys: a fresh reader, no silo's cache.
        var services = ((InProcessSiloHandle)platform.Cluster.Primary!).SiloHost.Services;
        UserDataKeys Reader() => new(services.GetRequiredService<UserKeyStore>(), services.GetRequiredService<MasterKeyRing>(), TimeProvider.System);
        Assert.NotNull(await Reader().OpenAsync(shop.Customer.UserId, sealedBytes, context));

        var view = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "cancellation" });
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Shred", "support")).ApiKey);
        await support.WaitUntilDoneAsync(view.RequestId());

        Assert.Null(await Reader().OpenAsync(shop.Customer.UserId, sealedBytes, context));
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM user_data_keys WHERE user_id = $1", shop.Customer.UserId));
    }

    [Fact]
    public async Task P4_4_unwrapped_keys_leave_a_silos_memory_once_expired_and_are_bounded_in_number()
    {
        var ring = MasterKeyRing.Parse(MasterKeyRing.NewKeyText("k1"));
        await using var database = await TestDatabase.CreateAsync();
        var clock = new TestClock();
        var keys = new UserDataKeys(new UserKeyStore(database.DataSource), ring, clock, cacheCapacity: 4);
        var users = Enumerable.Range(0, 10).Select(i => $"usr_bound{i}{Guid.NewGuid():N}"[..30]).ToList();

        var sealedBytes = new List<byte[]>();
        foreach (var userId in users.Take(3))
        {
            sealedBytes.Add(await keys.SealAsync(userId, "门牌"));
        }

        // A lifetime later, the next key loaded sweeps the expired copies out: only the newcomer is held.
        clock.Advance(UserDataKeys.CacheFor + TimeSpan.FromSeconds(1));
        sealedBytes.Add(await keys.SealAsync(users[3], "门牌"));
        Assert.Equal(1, keys.CachedKeyCount);

        // Live copies never pass the bound.
        foreach (var userId in users.Skip(4))
        {
            sealedBytes.Add(await keys.SealAsync(userId, "门牌"));
            Assert.InRange(keys.CachedKeyCount, 1, 4);
        }

        // Whatever was dropped is loaded again from its row: every seal still opens.
        for (var i = 0; i < users.Count; i++)
        {
            Assert.Equal("门牌", await keys.OpenTextAsync(users[i], sealedBytes[i]));
        }
    }

    [Fact]
    public async Task P4_1_a_key_in_constant_use_that_another_silo_shreds_stops_opening_here_within_one_copy_lifetime()
    {
        var ring = MasterKeyRing.Parse(MasterKeyRing.NewKeyText("k1"));
        await using var database = await TestDatabase.CreateAsync();
        var clock = new TestClock();
        var store = new UserKeyStore(database.DataSource);
        var here = new UserDataKeys(store, ring, clock);
        var elsewhere = new UserDataKeys(store, ring, clock);
        var userId = $"usr_inuse{Guid.NewGuid():N}"[..30];
        var sealedBytes = await here.SealAsync(userId, "门牌");

        // A customer who keeps buying: the copy here is used every second and reloaded near its end, for three lifetimes.
        var step = TimeSpan.FromSeconds(1);
        for (var elapsed = TimeSpan.Zero; elapsed < 3 * UserDataKeys.CacheFor; elapsed += step)
        {
            Assert.Equal("门牌", await here.OpenTextAsync(userId, sealedBytes));
            clock.Advance(step);
        }

        // Shredded by another silo (the user's cancellation ran there): still used every second here, it stops opening
        // within one lifetime of the shred however its reloads fell, and never opens again.
        Assert.Equal(1, await elsewhere.ShredAsync(userId));
        var stopped = false;
        for (var elapsed = TimeSpan.Zero; elapsed <= UserDataKeys.CacheFor; elapsed += step)
        {
            var opened = await here.OpenTextAsync(userId, sealedBytes);
            Assert.False(stopped && opened is not null, "a shredded key opened again after it had stopped");
            stopped |= opened is null;
            clock.Advance(step);
        }

        Assert.True(stopped);
        Assert.Null(await here.OpenTextAsync(userId, sealedBytes));
    }

    [Fact]
    public async Task P4_4_a_new_master_key_rolls_in_without_losing_any_data_key()
    {
        var oldKey = MasterKeyRing.NewKeyText("old");
        var newKey = MasterKeyRing.NewKeyText("new");
        await using var database = await TestDatabase.CreateAsync();
        var store = new UserKeyStore(database.DataSource);
        var userId = $"usr_rotation{Guid.NewGuid():N}"[..30];
        var sealedBytes = await new UserDataKeys(store, MasterKeyRing.Parse(oldKey), TimeProvider.System).SealAsync(userId, "门牌 3-2-1201");

        var rewrapped = await new UserDataKeys(store, MasterKeyRing.Parse($"{newKey},{oldKey}"), TimeProvider.System).RewrapAsync();
        var opened = await new UserDataKeys(store, MasterKeyRing.Parse(newKey), TimeProvider.System).OpenTextAsync(userId, sealedBytes);

        Assert.True(rewrapped >= 1);
        Assert.Equal("门牌 3-2-1201", opened);
    }

    [Fact]
    public async Task P4_4_during_a_rolling_rotation_a_silo_with_the_new_key_staged_reads_keys_a_promoted_silo_wrapped()
    {
        // Phase one of the rotation in docs/security.md stages the new key second on every silo; phase two
        // promotes it, one silo at a time. A silo still on phase one must read what a promoted silo wrapped.
        var oldKey = MasterKeyRing.NewKeyText("old");
        var newKey = MasterKeyRing.NewKeyText("new");
        await using var database = await TestDatabase.CreateAsync();
        var store = new UserKeyStore(database.DataSource);
        var userId = $"usr_rolling{Guid.NewGuid():N}"[..30];
        var promoted = new UserDataKeys(store, MasterKeyRing.Parse($"{newKey},{oldKey}"), TimeProvider.System);
        var sealedBytes = await promoted.SealAsync(userId, "门牌 3-2-1201");

        var staged = new UserDataKeys(store, MasterKeyRing.Parse($"{oldKey},{newKey}"), TimeProvider.System);
        var opened = await staged.OpenTextAsync(userId, sealedBytes);

        Assert.Equal("门牌 3-2-1201", opened);
    }
}
