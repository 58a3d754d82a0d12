using System.Text.Json;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.Security;

/// <summary>P1.7, P4.4: support sees the same masked view of a user's personal data on every route, and never the export.</summary>
[Collection(PlatformCollection.Name)]
public sealed class SupportMaskingTests(PlatformFixture platform)
{
    [Fact]
    public async Task P1_7_support_sees_an_orders_delivery_masked_while_the_user_and_merchant_see_it_whole()
    {
        var shop = await platform.OpenShopAsync();
        var delivery = JsonSerializer.SerializeToElement(CommerceApiClient.SampleDelivery());
        var placed = await shop.PlaceOrderAsync(delivery);
        var support = await SupportAsync();
        var phone = delivery.GetProperty("phone").GetString()!;

        var seenBySupport = (await support.GetFromJsonAsync<JsonElement>($"/v1/orders/{placed.Id()}")).GetProperty("delivery");
        var seenByUser = (await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/orders/{placed.Id()}")).GetProperty("delivery");

        Assert.Equal($"{phone[..3]}****{phone[7..]}", seenBySupport.GetProperty("phone").GetString());
        Assert.Equal("李*", seenBySupport.GetProperty("recipientName").GetString());
        Assert.DoesNotContain("88 号", seenBySupport.GetProperty("address").GetString(), StringComparison.Ordinal);
        Assert.Equal("***", seenBySupport.GetProperty("doorNumber").GetString());
        Assert.Equal(phone, seenByUser.GetProperty("phone").GetString());
    }

    [Fact]
    public async Task P1_7_support_sees_saved_addresses_masked()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "third-party-sources", true, version);
        var phone = UserApiClient.NewPhone();
        await client.PostAsJsonAsync($"/v1/users/{user.UserId}/addresses/imports", new
        {
            source = "partner-address-book",
            authorization = "oauth grant",
            addresses = new[] { new { recipientName = "韩梅梅", phone, address = "北京市海淀区中关村大街 1 号", doorNumber = "5-101" } },
        });

        var seen = (await (await SupportAsync()).GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/addresses")).GetProperty("items")[0];

        Assert.Equal($"{phone[..3]}****{phone[7..]}", seen.GetProperty("phone").GetString());
        Assert.Equal("韩**", seen.GetProperty("recipientName").GetString());
        Assert.Equal("***", seen.GetProperty("doorNumber").GetString());
    }

    [Fact]
    public async Task P1_7_support_sees_a_mobile_number_in_a_ticket_masked()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var phone = UserApiClient.NewPhone();
        var opened = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = "Call me", message = $"请打 {phone} 联系我" });
        var ticketId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString();

        var bySupport = await (await SupportAsync()).GetStringAsync($"/v1/tickets/{ticketId}");
        var byUser = await client.GetStringAsync($"/v1/tickets/{ticketId}");

        Assert.DoesNotContain(phone, bySupport, StringComparison.Ordinal);
        Assert.Contains($"{phone[..3]}****{phone[7..]}", bySupport, StringComparison.Ordinal);
        Assert.Contains(phone, byUser, StringComparison.Ordinal);
    }

    [Fact]
    public async Task P1_7_support_cannot_download_an_export_even_of_a_request_it_filed()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var support = await SupportAsync();
        var filed = await support.FileRequestAsync(user.UserId, new { type = "access", reason = "user asked by phone", verification = "SMS code" });
        await support.WaitUntilDoneAsync(filed.RequestId());

        var bySupport = await support.GetAsync($"/v1/requests/{filed.RequestId()}/export");
        var byUser = await client.GetAsync($"/v1/requests/{filed.RequestId()}/export");

        await bySupport.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, byUser.StatusCode);
    }

    private async Task<HttpClient> SupportAsync() => platform.Client((await platform.EnrolStaffAsync("Agent Mask", "support")).ApiKey);
}
