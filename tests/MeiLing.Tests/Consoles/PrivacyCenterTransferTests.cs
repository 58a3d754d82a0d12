using System.Text.Json;
using MeiLing.Grains.Platform;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;
using MeiLing.Tests.Users;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.Tokens;

namespace MeiLing.Tests.Consoles;

/// <summary>
/// Two rights the privacy center told its user of or offered by halves, acted on from the pages themselves over plain
/// HTTP: objecting to a business transfer from its notice (P3.2), and correcting the birth date and the delivery (P1.5).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PrivacyCenterTransferTests(PlatformFixture platform)
{
    // P3.2 (*reviewer*): /privacy/account showed the notice "to be left out, object by the end of that day" with no way to
    // object: a customer who reads it only in the browser could not, and their data moved to the successor.
    [Fact]
    public async Task P3_2_a_web_user_objects_to_a_transfer_from_its_notice_in_the_privacy_center_and_objecting_again_is_harmless()
    {
        var shop = await platform.OpenShopAsync();
        await shop.PlaceOrderAsync();
        var successor = await platform.CreateMerchantAsync("Successor Via The Web");
        var transferId = await StartTransferAsync(shop, successor.MerchantId);
        var browser = await platform.PrivacyCenterAsync(shop.Customer);

        var page = await browser.GetStringAsync("/privacy/account");
        var objected = await browser.PostFormAsync(ObjectionPage(transferId), new(), "/privacy/account");
        var shown = await browser.GetStringAsync(objected.Headers.Location!.OriginalString);
        var again = await browser.PostFormAsync(ObjectionPage(transferId), new(), "/privacy/account");
        var shownAgain = await browser.GetStringAsync(again.Headers.Location!.OriginalString);

        // The notice names its transfer (the API's subject), and the page offers the form beside it.
        var customer = await platform.AsUserAsync(shop.Customer);
        var notice = Assert.Single((await customer.GetFromJsonAsync<JsonElement>($"/v1/users/{shop.Customer.UserId}/notifications"))
            .GetProperty("items").EnumerateArray(), n => n.GetProperty("kind").GetString() == "merchant-transfer");
        Assert.Equal(transferId, notice.GetProperty("subject").GetString());
        Assert.Equal(shop.Merchant.MerchantId, notice.GetProperty("merchantId").GetString());
        Assert.Contains($"action=\"{ObjectionPage(transferId)}\"", PageForms.RowOf(page, $"object-{transferId}"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, objected.StatusCode);
        Assert.Equal("/privacy/account", objected.Headers.Location!.OriginalString);
        Assert.Contains($"You objected to transfer {transferId}", shown, StringComparison.Ordinal);
        // Posted again, the same objection: no refusal, nothing else recorded.
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Contains($"You objected to transfer {transferId}", shownAgain, StringComparison.Ordinal);
        Assert.DoesNotContain("alert error", shownAgain, StringComparison.Ordinal);
        // As the API shows the user their transfers: this one, objected to.
        var access = await customer.FileRequestAsync(shop.Customer.UserId, new { type = "access" });
        Assert.Equal("completed", (await customer.WaitUntilDoneAsync(access.RequestId())).GetProperty("status").GetString());
        var export = await customer.GetFromJsonAsync<JsonElement>($"/v1/requests/{access.RequestId()}/export");
        var objection = Assert.Single(export.GetProperty("transfers").EnumerateArray(), t => t.GetProperty("transferId").GetString() == transferId);
        Assert.Equal(JsonValueKind.String, objection.GetProperty("objectedAt").ValueKind);
    }

    // P3.2, P4.4: the grain's refusal is shown where the user acted, never an error page; an objection needs a recent
    // sign-in, so a session signed in long ago is offered the sign-in again, as the export on the privacy pages is.
    [Fact]
    public async Task P3_2_P4_4_the_privacy_center_shows_an_objections_refusal_on_the_page_and_a_session_signed_in_long_ago_the_sign_in_again_link()
    {
        var shop = await platform.OpenShopAsync();
        await shop.PlaceOrderAsync();
        var successor = await platform.CreateMerchantAsync("Successor Not For Strangers");
        var transferId = await StartTransferAsync(shop, successor.MerchantId);
        var stranger = await platform.PrivacyCenterAsync(await platform.RegisterUserAsync());
        var stale = platform.Api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        stale.DefaultRequestHeaders.Add("Cookie", "meiling_session=" + SessionTokens.Resign(
            (await platform.SignInAsync(shop.Customer)).Token, SecurityAlgorithms.HmacSha256, notBefore: DateTime.UtcNow.AddMinutes(-16)));

        var byAStranger = await stranger.PostFormAsync(ObjectionPage(transferId), new(), "/privacy/account");
        var shownToTheStranger = await stranger.GetStringAsync(byAStranger.Headers.Location!.OriginalString);
        var malformed = await stranger.PostFormAsync("/privacy/transfers/usr_not_a_transfer_aaaaaaaaaaaa/objection", new(), "/privacy/account");
        var stalePage = await stale.GetStringAsync("/privacy/account");

        Assert.Equal(HttpStatusCode.Redirect, byAStranger.StatusCode);
        Assert.Contains("Objection not recorded: No such transfer.", shownToTheStranger, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
        var offered = PageForms.RowOf(stalePage, $"object-{transferId}");
        Assert.Contains("href=\"/privacy/signin?returnUrl=%2Fprivacy%2Faccount\"", offered, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", offered, StringComparison.Ordinal);
    }

    // P1.5 (*reviewer*): the correction form offered the nickname alone: a web user could not correct a wrong birth date or
    // a wrong delivery phone on orders on their way, which the API's correction takes.
    [Fact]
    public async Task P1_5_a_correction_filed_from_the_privacy_center_carries_the_birth_date_and_the_delivery_and_readdresses_the_orders_on_their_way()
    {
        var shop = await platform.OpenShopAsync();
        var order = await shop.PlacePaidInTheAppAsync();
        var browser = await platform.PrivacyCenterAsync(shop.Customer);
        var phone = UserApiClient.NewPhone();

        var filed = await browser.PostFormAsync("/privacy/requests?handler=FileRequest", new()
        {
            ["Input.Type"] = "Correction", ["Input.BirthDate"] = "1990-05-17", ["Input.DeliveryPhone"] = phone,
            ["Input.DeliveryRecipientName"] = "韩梅梅", ["Input.DeliveryGender"] = "female",
        }, "/privacy/requests");
        var shown = await browser.GetStringAsync(filed.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.Redirect, filed.StatusCode);
        Assert.DoesNotContain("alert error", shown, StringComparison.Ordinal);
        var customer = await platform.AsUserAsync(shop.Customer);
        var request = Assert.Single((await customer.GetFromJsonAsync<JsonElement>($"/v1/users/{shop.Customer.UserId}/requests")).GetProperty("items").EnumerateArray());
        Assert.Equal("correction", request.GetProperty("type").GetString());
        Assert.True(request.GetProperty("changesDelivery").GetBoolean());
        Assert.Equal("completed", (await customer.WaitUntilDoneAsync(request.RequestId())).GetProperty("status").GetString());
        Assert.Equal("1990-05-17", (await customer.GetFromJsonAsync<JsonElement>($"/v1/users/{shop.Customer.UserId}")).GetProperty("birthDate").GetString());
        var delivery = (await customer.GetFromJsonAsync<JsonElement>($"/v1/orders/{order.Id()}")).GetProperty("delivery");
        Assert.Equal(phone, delivery.GetProperty("phone").GetString());
        Assert.Equal("韩梅梅", delivery.GetProperty("recipientName").GetString());
        // What the form did not name stays as it was.
        Assert.Equal("陕西省西安市雁塔区科技路 88 号", delivery.GetProperty("address").GetString());
    }

    // A value the API's edge refuses is shown on the page the form goes back to, never a 500, and files nothing.
    [Theory]
    [InlineData("Input.BirthDate", "17/05/1990", "Birth date: a date as YYYY-MM-DD.")]
    [InlineData("Input.BirthDate", "2999-01-01", "Must be a date between 1900-01-01 and today.")]
    [InlineData("Input.DeliveryPhone", "12345", "Must be a mainland mobile number")]
    [InlineData("Input.DeliveryGender", "7", "Form of address: female, male or unspecified.")]
    [InlineData("Input.DeliveryOrderIds", "13912345678", "Order ids as the platform issues them")]
    [InlineData("Input.AvatarUrl", "javascript:alert(1)", "Must be an absolute http or https URL.")]
    public async Task P1_5_a_correction_with_a_value_the_api_refuses_shows_the_problem_on_the_privacy_center_page_and_files_nothing(
        string field, string value, string problem)
    {
        var user = await platform.RegisterUserAsync();
        var browser = await platform.PrivacyCenterAsync(user);

        var filed = await browser.PostFormAsync("/privacy/requests?handler=FileRequest", new()
        {
            ["Input.Type"] = "Correction", ["Input.DeliveryAddress"] = "别处 9 号", [field] = value,
        }, "/privacy/requests");

        Assert.Equal(HttpStatusCode.Redirect, filed.StatusCode);
        Assert.Contains(problem, await browser.GetStringAsync(filed.Headers.Location!.OriginalString), StringComparison.Ordinal);
        var requests = await (await platform.AsUserAsync(user)).GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/requests");
        Assert.Empty(requests.GetProperty("items").EnumerateArray());
    }

    private static string ObjectionPage(string transferId) => $"/privacy/transfers/{transferId}/objection";

    private async Task<string> StartTransferAsync(Shop shop, string successorMerchantId)
    {
        var started = await platform.Operator().PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/transfers",
            new { successorMerchantId, effectiveAt = platform.Clock.GetUtcNow().AddDays(31) });
        Assert.True(started.StatusCode == HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        var transferId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("transferId").GetString()!;
        Assert.True(EntityId.IsWellFormed(transferId, EntityId.TransferPrefix), transferId);
        return transferId;
    }
}
