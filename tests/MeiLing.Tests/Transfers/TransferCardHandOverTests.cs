using System.Text.Json;
using MeiLing.Grains.MemberCards;
using MeiLing.Grains.Transfers;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;

namespace MeiLing.Tests.Transfers;

/// <summary>P3.2, P1.6: a member card handed over to a business's successor moves once, whatever interrupts the move.</summary>
[Collection(TimeTravelCollection.Name)]
public sealed class TransferCardHandOverTests(TimeTravelFixture platform)
{
    // P3.2, P1.6 (*reviewer*): the successor's card was credited, then the old card's clear failed. The old card kept its
    // balance at a merchant still trading: spent or topped up there, the next pass credited the successor what was left under
    // the same operation id, refused as a reused key on every pass. The money was on both cards, and the transfer, holding
    // both merchants open, never completed.
    [Fact]
    public async Task P3_2_P1_6_a_card_hand_over_interrupted_after_the_successors_credit_is_neither_spent_twice_nor_holds_the_transfer_open()
    {
        const long Balance = 5_000;
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(Balance);
        var successor = await platform.CreateMerchantAsync("Successor Of A Card");
        var successorClient = platform.Client(successor.ApiKey);
        var started = await platform.Operator().PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/transfers",
            new { successorMerchantId = successor.MerchantId, effectiveAt = platform.Clock.GetUtcNow().AddDays(31) });
        Assert.True(started.StatusCode == HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        var transferId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("transferId").GetString()!;
        var grain = platform.Grains.GetGrain<ITransferGrain>(transferId);
        platform.Clock.Advance(TimeSpan.FromDays(32));
        var cardKey = IMemberCardGrain.KeyOf(shop.Merchant.MerchantId, shop.Customer.UserId);
        const string Unsettled = "SELECT count(*) FROM transfer_users WHERE transfer_id = $1 AND settled_at IS NULL";

        // The old card's clear fails (its row cannot be deleted) for one pass: after the successor's card was credited.
        var trigger = $"refuse_{Guid.NewGuid():N}";
        await platform.Database.ScalarAsync<object>($"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'storage refuses'; END $$;
            CREATE TRIGGER {trigger} BEFORE DELETE ON orleans_storage FOR EACH ROW WHEN (OLD.grain_id_string = '{cardKey}' AND OLD.grain_type = 'member-card') EXECUTE FUNCTION {trigger}();
            """);
        TransferView interrupted;
        try
        {
            interrupted = await grain.CompleteIfDue();
        }
        finally
        {
            await platform.Database.ScalarAsync<object>($"DROP TRIGGER {trigger} ON orleans_storage; DROP FUNCTION {trigger}();");
        }

        var unsettledWhileInterrupted = await platform.Database.ScalarAsync<long>(Unsettled, transferId);
        var atSuccessorWhileInterrupted = await BalanceAsync(successorClient, successor.MerchantId, shop.Customer.UserId);
        // Meanwhile the old card, its balance at the successor already, neither pays nor takes money.
        var order = await shop.PlaceOrderAsync(null, teas: 1, cakes: 0);
        var paid = await shop.CustomerClient.PayAsync(order.Id(), "member-card", CommerceApiClient.TeaPrice);
        var toppedUp = await shop.MerchantClient.PostAsJsonAsync(
            $"/v1/merchants/{shop.Merchant.MerchantId}/member-cards/{shop.Customer.UserId}/top-ups", new { amountFen = 1_000 });
        var paidProblem = await paid.AssertProblemAsync(HttpStatusCode.Conflict);
        var toppedUpProblem = await toppedUp.AssertProblemAsync(HttpStatusCode.Conflict);

        var next = await grain.CompleteIfDue();

        Assert.Equal("handing-over", interrupted.Status);
        Assert.Equal(1L, unsettledWhileInterrupted);
        Assert.Equal(Balance, atSuccessorWhileInterrupted);
        Assert.EndsWith("/card-being-handed-over", paidProblem.TypeOf(), StringComparison.Ordinal);
        Assert.EndsWith("/card-being-handed-over", toppedUpProblem.TypeOf(), StringComparison.Ordinal);
        Assert.Equal("completed", next.Status);
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>(Unsettled, transferId));
        // The balance moved once, and is on one card alone.
        Assert.Equal(Balance, await BalanceAsync(successorClient, successor.MerchantId, shop.Customer.UserId));
        Assert.Equal(0, await BalanceAsync(shop.MerchantClient, shop.Merchant.MerchantId, shop.Customer.UserId));
        Assert.False((await platform.Grains.GetGrain<IMemberCardGrain>(cardKey).GetSettlementDue()).Exists);
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM orleans_storage WHERE grain_id_string = $1 AND grain_type = 'member-card'", cardKey));
    }

    // P3.2 (*reviewer*): a card whose move was interrupted under the previous release (the successor credited, the clear
    // failed, the card used since) was marked with what it held now, and the successor refused that other amount under the
    // same operation id on every pass: the card was frozen for good, refusing the user's money and their account's erasure.
    [Fact]
    public async Task P3_2_a_card_whose_successor_took_its_hand_over_for_another_amount_is_cleared_not_frozen()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(2_000);
        var successor = await platform.CreateMerchantAsync("Successor Of An Old Move");
        var operationId = $"transfer:{Guid.NewGuid():N}";
        // What the previous release did before its clear failed: the successor credited with the balance then, 5,000.
        await platform.Grains.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(successor.MerchantId, shop.Customer.UserId)).TakeOver(operationId, 5_000);
        var card = platform.Grains.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(shop.Merchant.MerchantId, shop.Customer.UserId));

        var moved = await card.HandOverToSuccessor(successor.MerchantId, operationId);
        var order = await shop.PlaceOrderAsync(null, teas: 1, cakes: 0);
        var paidFromTheOldCard = await shop.CustomerClient.PayAsync(order.Id(), "member-card", CommerceApiClient.TeaPrice);

        Assert.Equal(2_000, moved);
        Assert.False((await card.GetSettlementDue()).Exists);
        Assert.Equal(5_000, await BalanceAsync(platform.Client(successor.ApiKey), successor.MerchantId, shop.Customer.UserId));
        // Not frozen: the old card is simply gone (short of the tea's price), not refusing as being handed over.
        Assert.DoesNotContain("card-being-handed-over", await paidFromTheOldCard.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<long> BalanceAsync(HttpClient merchant, string merchantId, string userId) =>
        (await merchant.GetFromJsonAsync<JsonElement>($"/v1/merchants/{merchantId}/member-cards/{userId}")).GetProperty("balanceFen").GetInt64();
}
