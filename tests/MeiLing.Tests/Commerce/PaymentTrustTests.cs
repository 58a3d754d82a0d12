using System.Text;
using System.Text.Json;

namespace MeiLing.Tests.Commerce;

/// <summary>P1.6: money counts as received only on the word of whoever received it.</summary>
[Collection(PlatformCollection.Name)]
public sealed class PaymentTrustTests(PlatformFixture platform)
{
    [Fact]
    public async Task P1_6_the_merchant_records_a_cash_payment()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);

        var paid = await shop.MerchantClient.PayAsync(placed.Id(), "marked", CommerceApiClient.TeaPrice);

        Assert.Equal(HttpStatusCode.Created, paid.StatusCode);
        Assert.Equal("paid", (await paid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task P1_6_a_wechat_payment_is_pending_until_the_partner_confirms_it()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);

        var answered = await (await shop.CustomerClient.PayAsync(placed.Id(), "wechat", CommerceApiClient.TeaPrice)).Content.ReadFromJsonAsync<JsonElement>();
        var confirmed = await shop.CustomerClient.WaitForOrderStatusAsync(placed.Id(), "paid");

        Assert.Equal("pending-payment", answered.GetProperty("status").GetString());
        Assert.Equal(0, answered.GetProperty("paidFen").GetInt64());
        Assert.Equal("pending", answered.GetProperty("payments")[0].GetProperty("status").GetString());
        Assert.Equal(CommerceApiClient.TeaPrice, confirmed.GetProperty("paidFen").GetInt64());
        Assert.Equal("confirmed", confirmed.GetProperty("payments")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task P1_6_a_pending_partner_payment_counts_against_what_is_outstanding()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        await PayAsync(shop, placed.Id(), "wechat");

        var twice = await shop.CustomerClient.PayAsync(placed.Id(), "alipay", CommerceApiClient.TeaPrice);

        await twice.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task P1_6_a_confirmation_without_the_partners_signature_is_401()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        var payment = await PayAsync(shop, placed.Id(), "wechat");
        var body = Confirmation(placed.Id(), payment);

        var unsigned = await shop.CustomerClient.PostAsync("/v1/payment-partners/wechat-pay/confirmations", new StringContent(body, Encoding.UTF8, "application/json"));
        var forged = await SendSignedAsync("wechat-pay", body, "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("a-secret-the-user-made-up-000000")));

        await unsigned.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await forged.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task P1_6_one_partner_cannot_confirm_another_partners_payment()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        var payment = await PayAsync(shop, placed.Id(), "wechat");

        var byAlipay = await SendSignedAsync("alipay", Confirmation(placed.Id(), payment), TestSiloConfigurator.PartnerSecretsByName["alipay"]);

        await byAlipay.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task P1_6_a_confirmation_for_another_amount_is_409()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        var payment = await PayAsync(shop, placed.Id(), "wechat");

        var inflated = await SendSignedAsync(
            "wechat-pay", Confirmation(placed.Id(), payment, amountFen: 1), TestSiloConfigurator.PartnerSecretsByName["wechat-pay"]);

        await inflated.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task P1_6_a_confirmation_for_an_unknown_partner_is_404()
    {
        var response = await SendSignedAsync("paypal", "{}", TestSiloConfigurator.PartnerSecretsByName["alipay"]);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private static async Task<JsonElement> PayAsync(Shop shop, string orderId, string method)
    {
        var response = await shop.CustomerClient.PayAsync(orderId, method, CommerceApiClient.TeaPrice);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payments")[0];
    }

    private static string Confirmation(string orderId, JsonElement payment, long? amountFen = null) => JsonSerializer.Serialize(new
    {
        orderId,
        paymentId = payment.GetProperty("paymentId").GetString(),
        partnerReference = payment.GetProperty("partnerReference").GetString(),
        amountFen = amountFen ?? payment.GetProperty("amountFen").GetInt64(),
    });

    private Task<HttpResponseMessage> SendSignedAsync(string partner, string body, string secret) =>
        platform.PostSignedAsync($"/v1/payment-partners/{partner}/confirmations", body, secret);
}
