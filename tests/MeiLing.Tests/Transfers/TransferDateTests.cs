using System.Globalization;
using System.Text.Json;
using MeiLing.Grains.Transfers;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.Transfers;

/// <summary>P3.2: the day a transfer's notice names is the day its customers may object to the end of.</summary>
[Collection(TimeTravelCollection.Name)]
public sealed class TransferDateTests(TimeTravelFixture platform)
{
    // P3.2 (*reviewer*): the operator's instant was kept in the offset it came in: given as midnight at +14:00, the notice
    // named that day while objections closed at 10:00 UTC the day before, so a customer in China objecting in the evening
    // before the day they were given was refused and moved to the successor.
    [Fact]
    public async Task P3_2_a_transfer_dated_in_a_far_offset_takes_objections_to_the_end_of_the_day_its_notice_names()
    {
        var shop = await platform.OpenShopAsync();
        await shop.PlaceOrderAsync();
        var successor = await platform.CreateMerchantAsync("Successor Far Offset");
        var day = platform.Clock.GetUtcNow().UtcDateTime.Date.AddDays(40);
        var atMidnightFarEast = new DateTimeOffset(DateTime.SpecifyKind(day, DateTimeKind.Unspecified), TimeSpan.FromHours(14));

        var started = await platform.Operator().PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/transfers",
            new { successorMerchantId = successor.MerchantId, effectiveAt = atMidnightFarEast });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var transfer = await started.Content.ReadFromJsonAsync<JsonElement>();
        var notice = (await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/users/{shop.Customer.UserId}/notifications"))
            .GetProperty("items").EnumerateArray().Single(n => n.GetProperty("kind").GetString() == "merchant-transfer");
        var lastDay = atMidnightFarEast.UtcDateTime.Date;
        // The evening of the day the notice names, in China: past the operator's instant, before the day ends.
        platform.Clock.Advance(lastDay.AddHours(20) - platform.Clock.GetUtcNow().UtcDateTime);
        var customer = await platform.AsUserAsync(shop.Customer);
        var objected = await customer.PostAsync($"/v1/transfers/{transfer.GetProperty("transferId").GetString()}/objections", null);

        Assert.Equal(new DateTimeOffset(lastDay.AddDays(1), TimeSpan.Zero), transfer.GetProperty("effectiveAt").GetDateTimeOffset());
        Assert.Contains($"after {lastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} (UTC)", notice.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, objected.StatusCode);
    }

    // P3.2 (*reviewer*): a transfer begun before its date was kept to a whole day still closed objections at its instant,
    // while its later notices named the day, to be objected to by its end.
    [Fact]
    public async Task P3_2_a_transfer_begun_with_an_instant_inside_a_day_takes_objections_to_that_days_end()
    {
        var shop = await platform.OpenShopAsync();
        await shop.PlaceOrderAsync();
        var successor = await platform.CreateMerchantAsync("Successor Begun Midday");
        var started = await platform.Operator().PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/transfers",
            new { successorMerchantId = successor.MerchantId, effectiveAt = platform.Clock.GetUtcNow().AddDays(40) });
        var transferId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("transferId").GetString()!;
        var grain = platform.Grains.GetGrain<ITransferGrain>(transferId);
        var day = platform.Clock.GetUtcNow().UtcDateTime.Date.AddDays(40);
        // As the previous release stored it: 10:00 UTC on the day.
        await grain.EndActivationAsync();
        await platform.ChangeStoredStateAsync<TransferState>(grain, "transfer", transfer => transfer.EffectiveAt = new DateTimeOffset(day.AddHours(10), TimeSpan.Zero));

        platform.Clock.Advance(day.AddHours(20) - platform.Clock.GetUtcNow().UtcDateTime);
        var customer = await platform.AsUserAsync(shop.Customer);
        var objected = await customer.PostAsync($"/v1/transfers/{transferId}/objections", null);

        Assert.Equal(HttpStatusCode.Created, objected.StatusCode);
        Assert.Equal(new DateTimeOffset(day.AddDays(1), TimeSpan.Zero), (await grain.Get())!.EffectiveAt);
    }
}
