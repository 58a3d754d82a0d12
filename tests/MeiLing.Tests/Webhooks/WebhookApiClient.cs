using System.Text.Json;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Users;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.Webhooks;

internal static class WebhookApiClient
{
    /// <summary>
    /// Every page of one of support's chase lists (<c>?unconfirmedRecipients=true</c>: objections, withdrawals), so items
    /// of other tests sharing the database cannot push one off the first page.
    /// </summary>
    public static async Task<List<JsonElement>> UnconfirmedItemsAsync(this HttpClient support, string path)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await support.GetFromJsonAsync<JsonElement>(
                $"{path}?unconfirmedRecipients=true&limit=100" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            items.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);

        return items;
    }

    /// <summary>Registers the merchant's endpoint on <paramref name="receiver"/> and tells the receiver its secret.</summary>
    public static async Task<string> RegisterWebhookAsync(this HttpClient merchant, string merchantId, WebhookReceiver receiver)
    {
        var response = await merchant.PutAsJsonAsync($"/v1/merchants/{merchantId}/webhook", new { url = receiver.UrlOf(merchantId) });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var secret = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        receiver.Trust(merchantId, secret);
        return secret;
    }

    /// <summary>A second shop for the same customer: another merchant, its catalogue, its key.</summary>
    public static async Task<Shop> SecondShopForAsync(this PlatformFixture platform, Shop first, string name)
    {
        var merchant = await platform.CreateMerchantAsync(name);
        var client = platform.Client(merchant.ApiKey);
        await client.AddProductAsync(merchant.MerchantId, "TEA-1", "Green tea", CommerceApiClient.TeaPrice);
        await client.AddProductAsync(merchant.MerchantId, "CAKE-1", "Moon cake", CommerceApiClient.CakePrice);
        return first with { Merchant = merchant, MerchantClient = client };
    }

    /// <summary>The ledger's rows of the partners' hand-overs of each order, as a WeChat payment and a fulfilled delivery write them.</summary>
    public static async Task RecordPartnerHandOversAsync(this PlatformFixture platform, string userId, params string[] orderIds)
    {
        var user = platform.Grains.GetGrain<IUserGrain>(userId);
        foreach (var orderId in orderIds)
        {
            await user.Disclose(new DisclosureRequest(
                "wechat-pay", RecipientKind.PaymentPartner, ["orderId", "totalFen"], "pay-order", null, LawfulBasis.ContractNecessity, "CN", OrderId: orderId));
            await user.Disclose(new DisclosureRequest(
                IOrderGrain.DeliveryPartner, RecipientKind.DeliveryPartner, ["recipientName", "phone", "address"], "deliver-order", null, LawfulBasis.ContractNecessity, "CN", OrderId: orderId));
        }
    }

    /// <summary>
    /// A partner's notice of <paramref name="causeId"/> (a request, a withdrawal, an objection, a closure) as the outbox holds it: the
    /// sandbox partners keep no bodies.
    /// </summary>
    public static async Task<JsonElement> NoticeToAsync(this PlatformFixture platform, string partner, string causeId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var body = await platform.Database.ScalarAsync<string>(
                "SELECT body FROM webhook_outbox WHERE recipient = $1 AND request_id = $2", partner, causeId);
            if (body is not null)
            {
                return JsonDocument.Parse(body).RootElement;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{partner} was never told of {causeId}");
            await Task.Delay(100);
        }
    }

    /// <summary>Reads the merchant's deliveries until one of the event is in <paramref name="status"/>.</summary>
    public static async Task<JsonElement> WaitForDeliveryAsync(this HttpClient merchant, string merchantId, string eventId, string status, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            // 503 is "not yet": right after a database restart, a pooled connection the restart cut fails once.
            using var response = await merchant.GetAsync($"/v1/merchants/{merchantId}/webhook-deliveries");
            var page = response.StatusCode == HttpStatusCode.ServiceUnavailable ? default : await response.Content.ReadFromJsonAsync<JsonElement>();
            var delivery = page.ValueKind == JsonValueKind.Object
                ? page.GetProperty("items").EnumerateArray().FirstOrDefault(d => d.GetProperty("eventId").GetString() == eventId)
                : default;
            if (delivery.ValueKind == JsonValueKind.Object && delivery.GetProperty("status").GetString() == status)
            {
                return delivery;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The delivery of {eventId} never became {status}: {response.StatusCode} {page}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// A shop whose merchant's endpoint is on <paramref name="receiver"/>, an order (with a delivery when
    /// <paramref name="withDelivery"/>), and the customer's <paramref name="request"/>, read until the merchant is listed
    /// on it in <paramref name="status"/>: its id and that recipient.
    /// </summary>
    public static async Task<(Shop Shop, string RequestId, JsonElement Recipient)> RequestTellingTheMerchantAsync(
        this PlatformFixture platform, WebhookReceiver receiver, object request, string status, bool withDelivery = false)
    {
        var shop = await platform.OpenShopAsync();
        await shop.MerchantClient.RegisterWebhookAsync(shop.Merchant.MerchantId, receiver);
        await shop.PlaceOrderAsync(withDelivery ? CommerceApiClient.SampleDelivery() : null);
        var requestId = (await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, request)).RequestId();
        return (shop, requestId, await shop.CustomerClient.WaitForRecipientAsync(requestId, shop.Merchant.MerchantId, status));
    }

    /// <summary>
    /// A correction of the delivery the merchant received, told to an endpoint that is down (<see cref="WebhookReceiver.StartDownAsync"/>):
    /// with the tests' retries in fractions of a second, the merchant is <c>failed</c> within seconds.
    /// </summary>
    public static Task<(Shop Shop, string RequestId, JsonElement Recipient)> RequestWithAFailedMerchantAsync(this PlatformFixture platform, WebhookReceiver downReceiver) =>
        platform.RequestTellingTheMerchantAsync(
            downReceiver, new { type = "correction", details = new { delivery = new { doorNumber = "5-502" } } }, "failed", withDelivery: true);

    /// <summary>Reads the request until <paramref name="recipient"/> is listed on it in <paramref name="status"/>.</summary>
    public static async Task<JsonElement> WaitForRecipientAsync(this HttpClient client, string requestId, string recipient, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var view = await client.GetFromJsonAsync<JsonElement>($"/v1/requests/{requestId}");
            var found = view.GetProperty("recipients").EnumerateArray().FirstOrDefault(r => r.GetProperty("recipient").GetString() == recipient);
            if (found.ValueKind == JsonValueKind.Object && found.GetProperty("status").GetString() == status)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{recipient} never became {status}: {view}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The user grants <c>marketing-sharing</c>, <paramref name="recipient"/> receives their nickname under it, and the
    /// user withdraws it directly: the withdrawal's receipt id (the cause its notice is listed under).
    /// </summary>
    public static async Task<string> WithdrawAfterDisclosingAsync(this PlatformFixture platform, HttpClient user, string userId, string recipient, RecipientKind kind)
    {
        var version = await platform.CurrentPolicyVersionAsync();
        await user.SetConsentAsync(userId, "marketing-sharing", true, version);
        await platform.Grains.GetGrain<IUserGrain>(userId).Disclose(new DisclosureRequest(
            recipient, kind, ["nickname"], "joint-marketing", ConsentPurpose.MarketingSharing, null, "CN"));
        return (await user.SetConsentAsync(userId, "marketing-sharing", false, version)).ReceiptId;
    }

    /// <summary>
    /// A shop whose merchant's endpoint is on <paramref name="receiver"/>, and the customer's direct withdrawal of the consent
    /// the merchant received their nickname under (<see cref="WithdrawAfterDisclosingAsync"/>), read until the merchant is
    /// listed on the receipt in <paramref name="status"/> (<c>failed</c> within seconds when the receiver is down): the receipt
    /// id and that recipient.
    /// </summary>
    public static async Task<(Shop Shop, string ReceiptId, JsonElement Recipient)> WithdrawalTellingTheMerchantAsync(
        this PlatformFixture platform, WebhookReceiver receiver, string status)
    {
        var shop = await platform.OpenShopAsync();
        await shop.MerchantClient.RegisterWebhookAsync(shop.Merchant.MerchantId, receiver);
        var receiptId = await platform.WithdrawAfterDisclosingAsync(shop.CustomerClient, shop.Customer.UserId, shop.Merchant.MerchantId, RecipientKind.Merchant);
        return (shop, receiptId, await shop.CustomerClient.WaitForReceiptRecipientAsync(receiptId, status, shop.Merchant.MerchantId));
    }

    /// <summary>Reads a receipt's recipients until one of them is in <paramref name="status"/> (<paramref name="recipient"/>, when named).</summary>
    public static async Task<JsonElement> WaitForReceiptRecipientAsync(this HttpClient user, string receiptId, string status, string? recipient = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var page = await user.GetFromJsonAsync<JsonElement>($"/v1/consent-records/{receiptId}/recipients");
            if (page.GetProperty("items").EnumerateArray().FirstOrDefault(r => r.GetProperty("status").GetString() == status
                    && (recipient is null || r.GetProperty("recipient").GetString() == recipient)) is { ValueKind: JsonValueKind.Object } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No recipient of {receiptId} became {status}: {page}");
            await Task.Delay(100);
        }
    }

    /// <summary>Every page of support's list, so requests of other tests sharing the database cannot push one off the first.</summary>
    public static async Task<HashSet<string>> UnconfirmedRequestIdsAsync(this HttpClient support)
    {
        var ids = new HashSet<string>();
        string? cursor = null;
        do
        {
            var page = await support.GetFromJsonAsync<JsonElement>(
                "/v1/requests?unconfirmedRecipients=true&limit=100" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            ids.UnionWith(page.GetProperty("items").EnumerateArray().Select(r => r.RequestId()));
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);

        return ids;
    }
}
