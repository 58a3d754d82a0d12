using MeiLing.Grains.DataRights;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;

namespace MeiLing.Tests.Webhooks;

/// <summary>Arrangements of the time-travel tests on notices: a request's notice to a merchant whose endpoint is down.</summary>
internal static class FailedNotices
{
    /// <summary>
    /// A shop whose webhook is <paramref name="receiver"/> (down), and its customer's correction of their delivery, driven
    /// until the notice to the merchant failed. Requests in the time-travel collection wait to be driven by hand.
    /// </summary>
    public static async Task<(Shop Shop, string RequestId)> CorrectionWhoseNoticeFailedAsync(this TimeTravelFixture platform, WebhookReceiver receiver, string doorNumber)
    {
        var shop = await platform.OpenShopAsync();
        await shop.MerchantClient.RegisterWebhookAsync(shop.Merchant.MerchantId, receiver);
        await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery());
        var requestId = (await shop.CustomerClient.FileRequestAsync(
            shop.Customer.UserId, new { type = "correction", details = new { delivery = new { doorNumber } } })).RequestId();
        await platform.Grains.GetGrain<IDataRightsRequestGrain>(requestId).Drive();
        await shop.CustomerClient.WaitForRecipientAsync(requestId, shop.Merchant.MerchantId, "failed");
        return (shop, requestId);
    }
}
