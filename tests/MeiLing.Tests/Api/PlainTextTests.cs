using System.Text.Json;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.Retail;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.Api;

/// <summary>
/// Names and messages are text people read: a control character in one is acted on by whatever shows it (a merchant's
/// name that starts a new line of the member's SMS, an escape sequence in an operator's terminal, a right-to-left override
/// that shows a name in another order than it is stored). Such text is 400 naming the field, and nothing is stored.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PlainTextTests(PlatformFixture platform)
{
    [Theory]
    [InlineData("Tea\n【美零】您的账户已冻结")]
    [InlineData("Tea\u0007")]
    [InlineData("\u202Eaet")]
    public async Task P1_6_a_merchant_name_with_a_control_character_is_400_naming_the_name(string name)
    {
        var opened = await platform.Operator().PostAsJsonAsync("/v1/merchants", new { name });

        Assert.True((await opened.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task An_emoji_joined_with_zero_width_joiners_is_still_a_name()
    {
        var opened = await platform.Operator().PostAsJsonAsync("/v1/merchants", new { name = "\U0001F468\u200D\U0001F373 Chef's Table" });

        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
    }

    [Fact]
    public async Task A_product_or_staff_name_with_a_control_character_is_400_and_nothing_is_added()
    {
        var till = await platform.OpenTillAsync("Plain Names Shop");

        var product = await till.Manager.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/products", new { sku = "ESC", name = "Tea\u001b[2J", priceFen = 100 });
        var staff = await till.Owner.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/staff", new { name = "Li\rWang", role = "cashier" });

        Assert.True((await product.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("name", out _));
        Assert.True((await staff.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("name", out _));
        Assert.DoesNotContain("ESC", (await till.Manager.GetStringAsync($"/v1/merchants/{till.MerchantId}/products")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_summary_may_break_lines_but_holds_no_other_control_character()
    {
        var before = await platform.Operator().GetStringAsync("/v1/policies");

        var escaped = await platform.Operator().PostAsJsonAsync("/v1/policies",
            new { version = $"esc-{Guid.NewGuid():N}"[..20], summary = "What changed:\n\u001b[2J\u001b[31mnothing", reducesRights = false });

        Assert.True((await escaped.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("summary", out _));
        Assert.Equal(before, await platform.Operator().GetStringAsync("/v1/policies"));
    }

    [Fact]
    public async Task A_ticket_subject_is_one_line_and_its_message_may_break_lines()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var twoLines = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = "Refund\nURGENT", message = "Hello" });
        var opened = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = "Refund", message = "Hello,\nmy order was charged twice." });

        Assert.True((await twoLines.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("subject", out _));
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var ticket = await client.GetStringAsync(opened.Headers.Location);
        Assert.Contains("my order was charged twice", ticket, StringComparison.Ordinal);
        Assert.DoesNotContain("URGENT", ticket, StringComparison.Ordinal);
    }

    // P1.7: a subject or message of spaces alone is no ticket and no message (Required refuses white space): an empty one
    // would count toward the ticket's 500.
    [Fact]
    public async Task P1_7_a_blank_ticket_subject_or_message_is_400_and_nothing_is_added()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var blankSubject = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = "   ", message = "Hello" });
        var blankMessage = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = "Refund", message = " \n " });
        var opened = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = "Refund", message = "Hello" });
        var blankReply = await client.PostAsJsonAsync($"{opened.Headers.Location}/messages", new { message = "  " });

        Assert.True((await blankSubject.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("subject", out _));
        Assert.True((await blankMessage.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("message", out _));
        Assert.True((await blankReply.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("message", out _));
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>(opened.Headers.Location)).GetProperty("messages").GetArrayLength());
    }

    // A recipient name starting with a right-to-left override, escape sequences in an address: shown raw to support, to the
    // delivery partner's driver and in a merchant's terminal, they act instead of reading as written.
    [Fact]
    public async Task P1_5_P1_8_delivery_and_imported_address_text_with_a_control_character_is_400_and_nothing_is_kept()
    {
        var shop = await platform.OpenShopAsync();
        var version = await platform.CurrentPolicyVersionAsync();
        await shop.CustomerClient.SetConsentAsync(shop.Customer.UserId, "third-party-sources", true, version);
        var delivery = new { recipientName = "\u202ELee", gender = "male", phone = UserApiClient.NewPhone(), address = "陕西省西安市雁塔区科技路 88 号", doorNumber = "3-2-1201" };

        var order = await shop.MerchantClient.PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/orders",
            new { userId = shop.Customer.UserId, items = new[] { new { sku = "TEA-1", quantity = 1 } }, delivery });
        var import = await shop.CustomerClient.PostAsJsonAsync($"/v1/users/{shop.Customer.UserId}/addresses/imports", new
        {
            source = "partner-book",
            authorization = "a\u0000\u001b]0;x\u0007",
            addresses = new[] { new { recipientName = "韩梅梅", phone = UserApiClient.NewPhone(), address = "\u001b[2J北京市海淀区", doorNumber = "5-101" } },
        });
        var correction = await shop.CustomerClient.PostAsJsonAsync($"/v1/users/{shop.Customer.UserId}/requests",
            new { type = "correction", details = new { delivery = new { doorNumber = "5-101\u0000" } } });

        await order.AssertProblemAsync(HttpStatusCode.BadRequest);
        var importProblem = await import.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(importProblem.GetProperty("errors").TryGetProperty("authorization", out _), importProblem.ToString());
        await correction.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty((await shop.CustomerClient.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/users/{shop.Customer.UserId}/addresses")).GetProperty("items").EnumerateArray());
        Assert.Empty((await shop.MerchantClient.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/merchants/{shop.Merchant.MerchantId}/orders")).GetProperty("items").EnumerateArray());
    }
}
