using System.Text;
using System.Text.Json;
using MeiLing.Grains.MemberCards;
using MeiLing.Grains.Privacy.Encryption;
using MeiLing.Tests.Commerce;
using Orleans.TestingHost;

namespace MeiLing.Tests.Storage;

/// <summary>Someone who can write to <c>orleans_storage</c> cannot move or forge a user's sealed state.</summary>
[Collection(PlatformCollection.Name)]
public sealed class SealedStateBindingTests(PlatformFixture platform)
{
    private const string CardState = "member-card";

    [Fact]
    public async Task P4_4_a_member_cards_sealed_row_copied_onto_another_card_is_refused_not_read_as_its_balance()
    {
        var rich = await platform.OpenShopAsync();
        var poor = await platform.OpenShopAsync();
        await rich.TopUpAsync(90_000);
        await poor.TopUpAsync(500);

        await platform.Database.ScalarAsync<int>(
            "UPDATE orleans_storage SET payload = (SELECT payload FROM orleans_storage WHERE grain_id_string = $1) WHERE grain_id_string = $2 RETURNING 1",
            CardKey(rich), CardKey(poor));
        await ReloadAsync(poor);

        await AssertRefusedAsync(poor);
    }

    [Fact]
    public async Task P4_4_an_owned_state_found_in_clear_is_refused()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(500);
        var clear = await OpenStoredCardAsync(shop);

        // The owner's state as the storage would hold it if it were not sealed, with a balance of one's choosing.
        await WritePayloadAsync(shop, JsonSerializer.Serialize(WithBalance(JsonDocument.Parse(clear).RootElement, 90_000)));
        await ReloadAsync(shop);

        await AssertRefusedAsync(shop);
    }

    [Fact]
    public async Task A_row_sealed_before_grain_binding_still_opens_and_is_sealed_bound_on_the_next_write()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(700);
        var clear = await OpenStoredCardAsync(shop);
        // What the previous build wrote: sealed with the owner alone as associated data, no version.
        var legacy = await Keys.SealAsync(shop.Customer.UserId, Encoding.UTF8.GetBytes(clear));
        await WritePayloadAsync(shop, JsonSerializer.Serialize(new { Marker = "sealed", Owner = shop.Customer.UserId, Data = Convert.ToBase64String(legacy) }));
        await ReloadAsync(shop);

        var balance = await shop.BalanceAsync();
        await shop.TopUpAsync(100);

        Assert.Equal(700, balance);
        Assert.Equal(SealedEnvelope.Current, JsonDocument.Parse(await StoredPayloadAsync(shop)).RootElement.GetProperty("V").GetInt32());
        Assert.Equal(800, await shop.BalanceAsync());
    }

    // Refused as a storage fault (503), never answered with the planted balance or an empty card.
    private static async Task AssertRefusedAsync(Shop shop)
    {
        var response = await shop.MerchantClient.GetAsync($"/v1/merchants/{shop.Merchant.MerchantId}/member-cards/{shop.Customer.UserId}");
        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.DoesNotContain("90000", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private UserDataKeys Keys => ((InProcessSiloHandle)platform.Cluster.Primary!).SiloHost.Services.GetRequiredService<UserDataKeys>();

    private static string CardKey(Shop shop) => IMemberCardGrain.KeyOf(shop.Merchant.MerchantId, shop.Customer.UserId);

    private IMemberCardGrain Card(Shop shop) => platform.Grains.GetGrain<IMemberCardGrain>(CardKey(shop));

    private Task ReloadAsync(Shop shop) => Card(shop).EndActivationAsync();

    private async Task<string> StoredPayloadAsync(Shop shop) =>
        (await platform.Database.ScalarAsync<string>("SELECT convert_from(payload, 'UTF8') FROM orleans_storage WHERE grain_id_string = $1", CardKey(shop)))!;

    private Task WritePayloadAsync(Shop shop, string json) =>
        platform.Database.ScalarAsync<int>("UPDATE orleans_storage SET payload = convert_to($1, 'UTF8') WHERE grain_id_string = $2 RETURNING 1", json, CardKey(shop));

    // The card's state as JSON, opened the way the storage opens it.
    private async Task<string> OpenStoredCardAsync(Shop shop)
    {
        var envelope = SealedEnvelope.Parse(JsonDocument.Parse(await StoredPayloadAsync(shop)).RootElement);
        var context = SealedEnvelope.Context(envelope.V, CardState, Card(shop).GetGrainId(), envelope.Owner);
        return Encoding.UTF8.GetString((await Keys.OpenAsync(envelope.Owner, Convert.FromBase64String(envelope.Data), context))!);
    }

    private static Dictionary<string, JsonElement> WithBalance(JsonElement state, long balanceFen)
    {
        var fields = state.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        fields["BalanceFen"] = JsonSerializer.SerializeToElement(balanceFen);
        return fields;
    }
}
