using System.Text.Json;
using MeiLing.Grains.DataRights;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.Security;

/// <summary>
/// The ways a dishonest caller once broke the platform's money and privacy rules, each tried again through
/// the real API: every one now ends in a refusal or in no effect. In the policy collection, because one of
/// them publishes a rights-reducing version.
/// </summary>
[Collection(PolicyCollection.Name)]
public sealed class DishonestCallerTests(PlatformFixture platform)
{
    [Fact]
    public async Task P1_6_a_user_paying_their_own_order_as_marked_cash_is_403_and_nothing_is_paid()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);

        var response = await shop.CustomerClient.PayAsync(placed.Id(), "marked", CommerceApiClient.TeaPrice);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        var order = await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/orders/{placed.Id()}");
        Assert.Equal("pending-payment", order.GetProperty("status").GetString());
        Assert.Equal(0, order.GetProperty("payments").GetArrayLength());
    }

    // A merchant refused the order's read once the customer's account began closing (403 account-closing) cancelled
    // it instead, and the status change answered with the order whole: the delivery's name, number and address, handed
    // over past the gate and recorded nowhere.
    [Fact]
    public async Task P3_1_P4_1_a_merchant_cancelling_the_order_of_a_closing_account_is_not_answered_with_its_delivery()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery());
        await platform.Grains.GetGrain<MeiLing.Grains.Users.IUserDataRights>(shop.Customer.UserId).CloseAccount();

        var read = await shop.MerchantClient.GetAsync($"/v1/orders/{placed.Id()}");
        var cancelled = await shop.MerchantClient.PostAsJsonAsync($"/v1/orders/{placed.Id()}/status", new { status = "cancelled" });

        // A.2 (*reviewer*): refused without saying the customer is cancelling their account.
        Assert.EndsWith("/processing-refused", (await read.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        var answer = await cancelled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("cancelled", answer.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("delivery").ValueKind);
    }

    // P1.6, P4.1: a cancellation whose refund stopped part-way (here the account closing meanwhile: the partner may not be
    // told) left the order paid with its money on the way back: the till handed the goods over (200 fulfilled), and the
    // refund went through on the order's next activation all the same. Goods and money both went.
    [Fact]
    public async Task P1_6_P4_1_a_cancellation_stopped_after_its_refund_was_planned_leaves_no_paid_order_for_the_till_to_fulfil()
    {
        var shop = await platform.OpenShopAsync();
        var order = await shop.PlaceOrderAsync();
        var paid = await shop.CustomerClient.PayAsync(order.Id(), "wechat", order.GetProperty("totalFen").GetInt64());
        Assert.True(paid.IsSuccessStatusCode, await paid.Content.ReadAsStringAsync());
        await shop.MerchantClient.WaitForOrderStatusAsync(order.Id(), "paid");
        await platform.Grains.GetGrain<MeiLing.Grains.Users.IUserDataRights>(shop.Customer.UserId).CloseAccount();

        var cancelled = await shop.MerchantClient.SetStatusAsync(order.Id(), "cancelled");
        var fulfilled = await shop.MerchantClient.SetStatusAsync(order.Id(), "fulfilled");

        await cancelled.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.EndsWith("/invalid-transition", (await fulfilled.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task P4_1_one_support_key_filing_a_cancellation_with_throwaway_words_erases_nothing()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Rogue", "support")).ApiKey);

        var filed = await support.FileRequestAsync(user.UserId, new { type = "cancellation", reason = "x", verification = "x" });
        var afterDrive = await platform.Grains.GetGrain<IDataRightsRequestGrain>(filed.RequestId()).Drive();
        var approvingItself = await support.PostAsJsonAsync($"/v1/requests/{filed.RequestId()}/approval", new { reason = "x" });

        Assert.Equal(DataRightsRequestStatus.AwaitingConfirmation, afterDrive.Status);
        await approvingItself.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/users/{user.UserId}")).StatusCode);
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM user_data_keys WHERE user_id = $1", user.UserId));
    }

    [Fact]
    public async Task P1_7_support_never_sees_a_whole_phone_number_in_a_delivery_or_downloads_the_export_it_filed()
    {
        var shop = await platform.OpenShopAsync();
        var delivery = JsonSerializer.SerializeToElement(CommerceApiClient.SampleDelivery());
        var placed = await shop.PlaceOrderAsync(delivery);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Curious", "support")).ApiKey);
        var access = await support.FileRequestAsync(shop.Customer.UserId, new { type = "access", reason = "asked", verification = "code" });
        await support.WaitUntilDoneAsync(access.RequestId());

        var order = await support.GetStringAsync($"/v1/orders/{placed.Id()}");
        var export = await support.GetAsync($"/v1/requests/{access.RequestId()}/export");

        Assert.DoesNotContain(delivery.GetProperty("phone").GetString()!, order, StringComparison.Ordinal);
        await export.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task P6_1_tickets_and_top_ups_wait_for_a_reducing_versions_acceptance_like_orders_do()
    {
        var shop = await platform.OpenShopAsync();
        var reducing = $"dis-{Guid.NewGuid():N}"[..20];
        (await platform.Operator().PostAsJsonAsync("/v1/policies", new { version = reducing, summary = "Shares more", reducesRights = true })).EnsureSuccessStatusCode();

        var ticket = await shop.CustomerClient.PostAsJsonAsync($"/v1/users/{shop.Customer.UserId}/tickets", new { subject = "s", message = "m" });
        var topUp = await shop.MerchantClient.PostAsJsonAsync(
            $"/v1/merchants/{shop.Merchant.MerchantId}/member-cards/{shop.Customer.UserId}/top-ups", new { amountFen = 100 });

        Assert.EndsWith("/policy-consent-required", (await ticket.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.EndsWith("/policy-consent-required", (await topUp.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\u0000b")]
    [InlineData("x")]
    [InlineData("mer_aaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task P4_4_an_order_for_a_user_id_of_no_users_shape_is_400_unknown_user_with_or_without_an_idempotency_key(string userId)
    {
        var shop = await platform.OpenShopAsync();
        var orders = $"/v1/merchants/{shop.Merchant.MerchantId}/orders";
        var body = new { userId, items = new[] { new { sku = "TEA-1", quantity = 1 } } };
        using var keyed = new HttpRequestMessage(HttpMethod.Post, orders) { Content = JsonContent.Create(body) };
        keyed.Headers.Add("Idempotency-Key", $"odd-user-{Guid.NewGuid():N}");

        // A NUL in the id once reached the user's storage as a grain key: 500 where a made-up id is 400.
        var answers = new[] { await shop.MerchantClient.PostAsJsonAsync(orders, body), await shop.MerchantClient.SendAsync(keyed) };

        foreach (var answer in answers)
        {
            var problem = await answer.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.EndsWith("/unknown-user", problem.TypeOf(), StringComparison.Ordinal);
            Assert.True(problem.GetProperty("errors").TryGetProperty("userId", out _), problem.ToString());
        }

        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM order_index WHERE merchant_id = $1", shop.Merchant.MerchantId));
    }

    [Fact]
    public async Task P4_4_a_flood_of_made_up_keys_touches_no_grain_and_leaves_no_activation()
    {
        var junk = Enumerable.Range(1, 200).Select(i => $"junk{i}").ToList();

        foreach (var key in junk)
        {
            await (await platform.Client(key).GetAsync("/v1/merchants/mer_unknown")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        var management = platform.Grains.GetGrain<IManagementGrain>(0);
        var activations = 0;
        foreach (var key in junk)
        {
            activations += await management.GetGrainActivationCount(
                (GrainReference)platform.Grains.GetGrain<MeiLing.Grains.Access.IApiKeyGrain>(MeiLing.Grains.Access.ApiKeys.Hash(key)));
        }

        Assert.Equal(0, activations);
    }
}
