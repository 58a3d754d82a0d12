using MeiLing.Grains.Catalogue;
using MeiLing.Grains.Consents;
using MeiLing.Grains.MemberCards;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Staff;
using MeiLing.Grains.Transfers;
using MeiLing.Grains.Users;
using MeiLing.Tests.Api;
using MeiLing.Tests.Retail;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.Security;

/// <summary>
/// P4.4: naming ids that do not exist leaves nothing in the silo's memory. Any authenticated caller names user and
/// order ids; each made-up one activates a grain, which once stayed for the grain type's idle age (15 minutes for a
/// user), so a merchant key placing orders for made-up users at its rate limit held millions of activations. The same
/// holds for the transfers and consent receipts a user names, the member cards and staff a till names, and the SKUs whose
/// stock it reads.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AbsentRecordTests(PlatformFixture platform)
{
    // Well past the few seconds an absent record lingers, well short of the 30-second idle age of an order.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task P4_4_orders_placed_for_made_up_users_leave_no_user_activation_behind()
    {
        var till = await platform.OpenTillAsync("Made Up Customers");
        await till.Manager.AddStockedProductAsync(till.MerchantId, "TEA", 500, stock: null);
        var madeUp = Enumerable.Range(0, 10).Select(_ => EntityId.New(EntityId.UserPrefix)).ToList();

        foreach (var userId in madeUp)
        {
            var placed = await till.Owner.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/orders",
                new { userId, items = new[] { new { sku = "TEA", quantity = 1 } } });
            await placed.AssertProblemAsync(HttpStatusCode.BadRequest);
        }

        Assert.Equal(0, await ActivationsLeftAsync(madeUp.Select(id => (GrainReference)platform.Grains.GetGrain<IUserGrain>(id))));
    }

    [Fact]
    public async Task P4_4_reading_made_up_orders_leaves_no_order_activation_behind()
    {
        var till = await platform.OpenTillAsync("Made Up Orders");
        var madeUp = Enumerable.Range(0, 10).Select(_ => EntityId.NewInTimeOrder(EntityId.OrderPrefix)).ToList();

        foreach (var orderId in madeUp)
        {
            await (await till.Owner.GetAsync($"/v1/orders/{orderId}")).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await till.Owner.PostAsJsonAsync($"/v1/orders/{orderId}/payments", new { method = "marked", amountFen = 100 }))
                .AssertProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Equal(0, await ActivationsLeftAsync(madeUp.Select(id => (GrainReference)platform.Grains.GetGrain<IOrderGrain>(id))));
    }

    [Fact]
    public async Task P4_4_reading_made_up_consent_receipts_leaves_no_receipt_activation_behind()
    {
        // Any signed-in user (or support key) names receipt ids at will, each a receipt grain of its own.
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var madeUp = Enumerable.Range(0, 10).Select(_ => EntityId.New(EntityId.ReceiptPrefix)).ToList();

        foreach (var receiptId in madeUp)
        {
            await (await client.GetAsync($"/v1/consent-records/{receiptId}")).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await client.GetAsync($"/v1/consent-records/{receiptId}/recipients")).AssertProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Equal(0, await ActivationsLeftAsync(madeUp.Select(id => (GrainReference)platform.Grains.GetGrain<IConsentRecordGrain>(id))));
    }

    [Fact]
    public async Task P4_4_a_burst_of_orders_for_one_made_up_user_is_all_400_never_a_5xx()
    {
        // The absent user's activation stays for the burst: one that left after each answer would bounce the queued
        // calls between activations until Orleans refused them.
        var till = await platform.OpenTillAsync("Burst For Nobody");
        await till.Manager.AddStockedProductAsync(till.MerchantId, "TEA", 500, stock: null);
        var userId = EntityId.New(EntityId.UserPrefix);

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => till.Owner.PostAsJsonAsync(
            $"/v1/merchants/{till.MerchantId}/orders", new { userId, items = new[] { new { sku = "TEA", quantity = 1 } } })));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode));
    }

    [Fact]
    public async Task P4_4_a_user_naming_made_up_transfers_leaves_no_transfer_activation_behind()
    {
        // Any signed-in user reaches a transfer by its id: their objection, and who was told of it.
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var madeUp = Enumerable.Range(0, 10).Select(_ => EntityId.New(EntityId.TransferPrefix)).ToList();

        foreach (var transferId in madeUp)
        {
            await (await client.GetAsync($"/v1/transfers/{transferId}/objections/{user.UserId}/recipients")).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await client.PostAsync($"/v1/transfers/{transferId}/objections", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Equal(0, await ActivationsLeftAsync(madeUp.Select(id => (GrainReference)platform.Grains.GetGrain<ITransferGrain>(id))));
    }

    [Fact]
    public async Task P4_4_a_cashier_topping_up_made_up_members_leaves_no_member_card_activation_behind()
    {
        var till = await platform.OpenTillAsync("Made Up Members");
        var madeUp = Enumerable.Range(0, 10).Select(_ => EntityId.New(EntityId.UserPrefix)).ToList();

        foreach (var userId in madeUp)
        {
            await (await till.Cashier.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/member-cards/{userId}/top-ups", new { amountFen = 100 }))
                .AssertProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Equal(0, await ActivationsLeftAsync(madeUp.Select(id =>
            (GrainReference)platform.Grains.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(till.MerchantId, id)))));
    }

    [Fact]
    public async Task P4_4_a_manager_reading_the_stock_movements_of_made_up_skus_leaves_no_stock_activation_behind()
    {
        var till = await platform.OpenTillAsync("Made Up Products");
        var madeUp = Enumerable.Range(0, 10).Select(_ => $"NONE-{Guid.NewGuid():N}").ToList();

        foreach (var sku in madeUp)
        {
            var movements = await till.Manager.GetAsync($"/v1/merchants/{till.MerchantId}/products/{sku}/stock/movements");
            Assert.Equal(HttpStatusCode.OK, movements.StatusCode);
        }

        Assert.Equal(0, await ActivationsLeftAsync(madeUp.Select(sku =>
            (GrainReference)platform.Grains.GetGrain<IProductStockGrain>(IProductStockGrain.KeyOf(till.MerchantId, sku)))));
    }

    [Fact]
    public async Task P4_4_support_reading_the_notices_of_made_up_users_leaves_no_inbox_activation_behind()
    {
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Made Up Inboxes", "support")).ApiKey);
        var madeUp = Enumerable.Range(0, 10).Select(_ => EntityId.New(EntityId.UserPrefix)).ToList();

        foreach (var userId in madeUp)
        {
            await (await support.GetAsync($"/v1/users/{userId}/notifications")).AssertProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Equal(0, await ActivationsLeftAsync(madeUp.Select(id => (GrainReference)platform.Grains.GetGrain<IUserInboxGrain>(id))));
    }

    [Fact]
    public async Task P4_4_an_operator_changing_the_catalogue_of_made_up_merchants_leaves_no_catalogue_activation_behind()
    {
        var operatorClient = platform.Operator();
        var madeUp = Enumerable.Range(0, 10).Select(_ => EntityId.New(EntityId.MerchantPrefix)).ToList();

        foreach (var merchantId in madeUp)
        {
            var products = $"/v1/merchants/{merchantId}/products";
            await (await operatorClient.PostAsJsonAsync(products, new { sku = "TEA", name = "Tea", priceFen = 500 })).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await operatorClient.PatchAsJsonAsync($"{products}/TEA", new { priceFen = 600 })).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await operatorClient.DeleteAsync($"{products}/TEA")).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await operatorClient.PostAsJsonAsync($"{products}/TEA/stock", new { delta = 5, reason = "delivery" })).AssertProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Equal(0, await ActivationsLeftAsync(madeUp.Select(id => (GrainReference)platform.Grains.GetGrain<ICatalogueGrain>(id))));
        Assert.Equal(0, await ActivationsLeftAsync(madeUp.Select(id =>
            (GrainReference)platform.Grains.GetGrain<IProductStockGrain>(IProductStockGrain.KeyOf(id, "TEA")))));
    }

    [Fact]
    public async Task P4_4_a_manager_naming_made_up_staff_leaves_no_staff_activation_behind()
    {
        var till = await platform.OpenTillAsync("Made Up Staff");
        var madeUp = Enumerable.Range(0, 10).Select(_ => EntityId.New(EntityId.StaffPrefix)).ToList();

        foreach (var staffId in madeUp)
        {
            var staff = $"/v1/merchants/{till.MerchantId}/staff/{staffId}";
            await (await till.Manager.GetAsync(staff)).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await till.Manager.PutAsJsonAsync($"{staff}/top-up-limit", new { perDayFen = 100 })).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await till.Manager.DeleteAsync(staff)).AssertProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Equal(0, await ActivationsLeftAsync(madeUp.Select(id => (GrainReference)platform.Grains.GetGrain<IStaffGrain>(id))));
    }

    private async Task<int> ActivationsLeftAsync(IEnumerable<GrainReference> grains)
    {
        var management = platform.Grains.GetGrain<IManagementGrain>(0);
        var references = grains.ToList();
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var active = 0;
            foreach (var grain in references)
            {
                active += await management.GetGrainActivationCount(grain);
            }

            if (active == 0 || DateTime.UtcNow > deadline)
            {
                return active;
            }

            await Task.Delay(100);
        }
    }
}
