using System.Text.Json;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;
using MeiLing.Silo.Webhooks;
using MeiLing.Tests.Api;
using Orleans.TestingHost;

namespace MeiLing.Tests.Webhooks;

/// <summary>Data rights reach every merchant that received the data, as signed Standard Webhooks, until each is delivered.</summary>
[Collection(PlatformCollection.Name)]
public sealed class WebhookDeliveryTests(PlatformFixture platform)
{
    [Fact]
    public async Task P3_1_P4_1_a_cancellation_reaches_each_merchant_as_one_signed_customer_redact_with_its_orders_and_the_request_shows_both_confirmations()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var tea = await platform.OpenShopAsync();
        var cake = await platform.SecondShopForAsync(tea, "Cake House");
        await tea.MerchantClient.RegisterWebhookAsync(tea.Merchant.MerchantId, receiver);
        await cake.MerchantClient.RegisterWebhookAsync(cake.Merchant.MerchantId, receiver);
        var teaOrder = (await tea.PlaceOrderAsync(CommerceApiClient.SampleDelivery())).Id();
        var cakeOrders = new[] { (await cake.PlaceOrderAsync()).Id(), (await cake.PlaceOrderAsync(teas: 0, cakes: 2)).Id() };
        await tea.MerchantClient.GetAsync($"/v1/orders/{teaOrder}");
        await tea.TopUpAsync(1_200);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Webhooks", "support")).ApiKey);

        var requestId = (await tea.CustomerClient.FileRequestAsync(tea.Customer.UserId, new { type = "cancellation" })).RequestId();
        var atTea = await receiver.WaitForAsync(r => r.Endpoint == tea.Merchant.MerchantId && r.Type == "customer.redact");
        var atCake = await receiver.WaitForAsync(r => r.Endpoint == cake.Merchant.MerchantId && r.Type == "customer.redact");
        var settled = await receiver.WaitForAsync(r => r.Endpoint == tea.Merchant.MerchantId && r.Type == "member_card.settled");
        foreach (var (merchant, client) in new[] { (tea.Merchant.MerchantId, tea.MerchantClient), (cake.Merchant.MerchantId, cake.MerchantClient) })
        {
            var confirmed = await client.PostAsync($"/v1/requests/{requestId}/recipients/{merchant}/confirmation", null);
            Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
        }

        var done = await support.WaitUntilDoneAsync(requestId);

        Assert.All(receiver.Received, delivery => Assert.True(delivery.Verified, $"{delivery.WebhookId} is not signed with its merchant's secret"));
        Assert.Equal([teaOrder], Ids(atTea.Data.GetProperty("orderIds")));
        Assert.Equal(cakeOrders.Order(), Ids(atCake.Data.GetProperty("orderIds")).Order());
        foreach (var redact in new[] { atTea, atCake })
        {
            Assert.Equal(tea.Customer.UserId, redact.Data.GetProperty("userId").GetString());
            Assert.Equal(requestId, redact.Data.GetProperty("requestId").GetString());
            Assert.Single(receiver.Received.Where(r => r.Endpoint == redact.Endpoint && r.Type == "customer.redact").Select(r => r.WebhookId).Distinct());
        }

        Assert.Equal(1_200, settled.Data.GetProperty("amountFen").GetInt64());
        Assert.DoesNotContain(tea.Customer.UserId, settled.Body);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var recipients = done.GetProperty("recipients").EnumerateArray().Where(r => r.GetProperty("recipientKind").GetString() == "merchant").ToList();
        Assert.Equal(new[] { cake.Merchant.MerchantId, tea.Merchant.MerchantId }.Order(), recipients.Select(r => r.GetProperty("recipient").GetString()).Order());
        Assert.All(recipients, r =>
        {
            Assert.Equal("confirmed", r.GetProperty("status").GetString());
            Assert.Equal("customer.redact", r.GetProperty("eventType").GetString());
            Assert.Equal(JsonValueKind.String, r.GetProperty("notifiedAt").ValueKind);
            Assert.Equal(JsonValueKind.String, r.GetProperty("confirmedAt").ValueKind);
        });
    }

    [Fact]
    public async Task P3_1_payment_and_delivery_partners_hear_of_a_correction_through_their_adapters_and_the_request_shows_them_told()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery(), teas: 1, cakes: 0);
        await shop.CustomerClient.PayAsync(placed.Id(), "wechat", CommerceApiClient.TeaPrice);
        await shop.CustomerClient.WaitForOrderStatusAsync(placed.Id(), "paid");
        await shop.MerchantClient.SetStatusAsync(placed.Id(), "fulfilled");

        var requestId = (await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "correction", details = new { delivery = new { address = "陕西省西安市新城区 1 号" } } })).RequestId();
        var done = await shop.CustomerClient.WaitUntilDoneAsync(requestId);
        var told = await shop.CustomerClient.WaitForRecipientAsync(requestId, "meiling-delivery", "confirmed");

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal("delivery-partner", told.GetProperty("recipientKind").GetString());
        Assert.Contains(Silos().SelectMany(notifier => notifier.Received), notice => notice is { Recipient: "meiling-delivery", Type: "customer.updated" });
        // The payment partner received no delivery details, so a delivery correction is none of its business.
        Assert.DoesNotContain(done.GetProperty("recipients").EnumerateArray(), r => r.GetProperty("recipient").GetString() == "wechat-pay");
    }

    [Fact]
    public async Task A_receiver_that_answers_500_three_times_then_200_gets_the_event_on_the_fourth_attempt_with_the_same_webhook_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync(delivery => Task.FromResult(delivery.Attempt <= 3 ? 500 : 200));
        var shop = await platform.OpenShopAsync();
        await shop.MerchantClient.RegisterWebhookAsync(shop.Merchant.MerchantId, receiver);
        var order = (await shop.PlaceOrderAsync()).Id();

        var requestId = (await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" })).RequestId();
        var fourth = await receiver.WaitForAsync(r => r.Type == "customer.data_request" && r.Answered == 200);
        var delivery = await shop.MerchantClient.WaitForDeliveryAsync(shop.Merchant.MerchantId, fourth.WebhookId, "delivered");

        Assert.Equal(4, fourth.Attempt);
        Assert.Equal([500, 500, 500, 200], receiver.Received.Where(r => r.WebhookId == fourth.WebhookId).Select(r => r.Answered));
        Assert.All(receiver.Received, r => Assert.True(r.Verified));
        Assert.Equal([order], Ids(fourth.Data.GetProperty("orderIds")));
        Assert.Equal(requestId, fourth.Data.GetProperty("requestId").GetString());
        Assert.Equal(4, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(200, delivery.GetProperty("lastStatusCode").GetInt32());
    }

    [Fact]
    public async Task A_failed_delivery_retried_by_hand_is_sent_again_with_the_same_webhook_id()
    {
        var failing = true;
        await using var receiver = await WebhookReceiver.StartAsync(_ => Task.FromResult(Volatile.Read(ref failing) ? 503 : 204));
        var shop = await platform.OpenShopAsync();
        await shop.MerchantClient.RegisterWebhookAsync(shop.Merchant.MerchantId, receiver);
        await shop.PlaceOrderAsync();
        await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" });
        var first = await receiver.WaitForAsync(r => r.Type == "customer.data_request");
        var failed = await shop.MerchantClient.WaitForDeliveryAsync(shop.Merchant.MerchantId, first.WebhookId, "failed");

        Volatile.Write(ref failing, false);
        var retried = await shop.MerchantClient.PostAsync($"/v1/webhook-deliveries/{failed.GetProperty("deliveryId").GetString()}/retry", null);
        var again = await receiver.WaitForAsync(r => r.WebhookId == first.WebhookId && r.Answered == 204);

        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Equal(1 + 8, failed.GetProperty("attempts").GetInt32());
        Assert.True(again.Verified);
    }

    private IEnumerable<SandboxRecipientNotifier> Silos() =>
        platform.Cluster.GetActiveSilos().OfType<InProcessSiloHandle>().Select(silo => silo.SiloHost.Services.GetRequiredService<SandboxRecipientNotifier>());

    private static IReadOnlyList<string> Ids(JsonElement array) => [.. array.EnumerateArray().Select(id => id.GetString()!)];
}
