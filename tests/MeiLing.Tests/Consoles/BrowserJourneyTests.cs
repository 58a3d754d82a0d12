using System.Text.Json;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Users;
using MeiLing.Tests.Api;
using MeiLing.Tests.DataRights;
using MeiLing.Tests.Users;
using MeiLing.Tests.Webhooks;
using Microsoft.Playwright;

namespace MeiLing.Tests.Consoles;

/// <summary>
/// The two journeys of issue 17, and support re-sending a failed notice, in Chromium against the API on a real port; each
/// page is photographed.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserJourneyTests(BrowserFixture platform)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task P8_1_support_finds_a_user_by_phone_files_a_cancellation_enters_the_code_and_watches_it_complete()
    {
        var agent = await platform.EnrolStaffAsync("客服小王", "support");
        var user = await platform.RegisterUserAsync();
        await using var context = await platform.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync("/console");
        Assert.EndsWith("/console/signin?returnUrl=%2Fconsole", page.Url, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "console-signin");
        await page.FillAsync("input[name=apiKey]", agent.ApiKey);
        await page.ClickAsync("button[type=submit]");
        await BrowserFixture.WaitForPageAsync(page, "/console", Patience);
        await BrowserFixture.ScreenshotAsync(page, "console-queue");

        await page.FillAsync("input[name=query]", user.Phone);
        await page.ClickAsync("form[action*=Find] button");
        await BrowserFixture.WaitForPageAsync(page, $"/console/users/{user.UserId}", Patience);

        await page.SelectOptionAsync("select[name='Input.Type']", "Cancellation");
        await page.FillAsync("textarea[name='Input.Reason']", "用户来电要求注销 The user called to close the account");
        await page.FillAsync("input[name='Input.Verification']", "回拨注册手机并核对最近订单 Called back the registered number, checked the last order");
        await page.ClickAsync("form[action*=FileRequest] button[type=submit]");
        await ExpectNoticeAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "console-user");

        await page.ClickAsync("table a[href^='/console/requests/']");
        await page.WaitForSelectorAsync("#request-status");
        Assert.Contains("Awaiting confirmation", await page.InnerTextAsync("#request-status"), StringComparison.Ordinal);
        var code = await platform.LatestCodeAsync(user.Phone, "confirm-request");
        await page.FillAsync("input[name=verificationCode]", code);
        await page.ClickAsync("form[action*=Confirm] button");
        await ExpectNoticeAsync(page);

        await ReloadUntilAsync(page, "#request-status", "Completed");
        await BrowserFixture.ScreenshotAsync(page, "console-request");
        Assert.True(await page.IsVisibleAsync("#erasure-receipt"));
    }

    [Fact]
    public async Task P1_2_a_user_signs_in_withdraws_location_consent_and_downloads_the_export()
    {
        var user = await platform.RegisterUserAsync();
        var version = await platform.CurrentPolicyVersionAsync();
        var api = await platform.AsUserAsync(user);
        (await api.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/location", new { granted = true, policyVersion = version })).EnsureSuccessStatusCode();
        // The delivery partner had the user's whereabouts under that consent: the withdrawal is told to it (its sandbox confirms at once).
        await platform.Grains.GetGrain<IUserGrain>(user.UserId).Disclose(new DisclosureRequest(
            "meiling-delivery", RecipientKind.DeliveryPartner, ["location"], "delivery-routing", ConsentPurpose.Location, null, "CN"));

        await using var context = await platform.NewContextAsync(phone: true);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/privacy/register");
        await BrowserFixture.ScreenshotAsync(page, "privacy-register");
        await page.GotoAsync("/privacy");
        await BrowserFixture.WaitForPageAsync(page, "/privacy/signin?returnUrl=%2Fprivacy", Patience);
        await BrowserFixture.ScreenshotAsync(page, "privacy-signin");
        await page.FillAsync("input[name=Phone]", user.Phone);
        await page.FillAsync("input[name=Password]", user.Password);
        await page.ClickAsync("button[type=submit]");
        await ExpectAsync(page, "header.bar a[href='/privacy/requests']");

        Assert.Contains("On", await page.InnerTextAsync("#consent-location"), StringComparison.Ordinal);
        await page.ClickAsync("#consent-location button");
        await ExpectNoticeAsync(page);
        Assert.Contains("Off", await page.InnerTextAsync("#consent-location"), StringComparison.Ordinal);
        // Beside the withdrawal's receipt: the party told of it, and that it confirmed.
        var told = "tr[id^='receipt-']:has-text('withdrawn') .recipient[data-recipient='meiling-delivery']";
        await ReloadUntilAsync(page, told, "已确认");
        Assert.Equal("confirmed", await page.GetAttributeAsync(told, "data-status"));
        await BrowserFixture.ScreenshotAsync(page, "privacy-consents");
        var consents = await api.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/consents");
        Assert.Contains(consents.GetProperty("items").EnumerateArray(), c => c.GetProperty("purpose").GetString() == "location" && !c.GetProperty("granted").GetBoolean());

        await page.GotoAsync("/privacy/requests");
        await page.SelectOptionAsync("select[name='Input.Type']", "Access");
        await page.ClickAsync("form[action*=FileRequest] button[type=submit]");
        await ExpectNoticeAsync(page);
        await ReloadUntilAsync(page, "main", "下载 JSON");
        await BrowserFixture.ScreenshotAsync(page, "privacy-requests");

        var exportUrl = await page.GetAttributeAsync("a[href$='/export']", "href");
        var download = await context.APIRequest.GetAsync(exportUrl!);
        Assert.Equal(200, download.Status);
        Assert.StartsWith("application/json", download.Headers["content-type"], StringComparison.Ordinal);
        var bundle = JsonDocument.Parse(await download.TextAsync());
        Assert.Contains(user.UserId, bundle.RootElement.GetRawText(), StringComparison.Ordinal);

        await page.GotoAsync(exportUrl + "?format=html");
        Assert.Contains(user.UserId, await page.ContentAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "privacy-export");

        await page.GotoAsync("/privacy/account");
        // P1.6: the member asks that every draw on their cards, the shop's own system's too, needs their code.
        Assert.False(await page.IsCheckedAsync("#member-card-protection input[name=codeAlways]"));
        await page.CheckAsync("#member-card-protection input[name=codeAlways]");
        await page.ClickAsync("#member-card-protection button[type=submit]");
        await ExpectNoticeAsync(page);
        Assert.True(await page.IsCheckedAsync("#member-card-protection input[name=codeAlways]"));
        var protection = await api.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/member-card-protection");
        Assert.True(protection.GetProperty("codeAlways").GetBoolean());
        await BrowserFixture.ScreenshotAsync(page, "privacy-account");
    }

    [Fact]
    public async Task P3_1_P1_7_support_resends_a_failed_notice_from_the_console_and_it_is_due_again_audited_with_the_recipient()
    {
        await using var receiver = await WebhookReceiver.StartDownAsync();
        var (shop, requestId, failed) = await platform.RequestWithAFailedMerchantAsync(receiver);
        var merchantId = shop.Merchant.MerchantId;
        var agent = await platform.EnrolStaffAsync("客服小李", "support");
        await using var context = await platform.NewContextAsync();
        var page = await SignedInAgentAsync(context, agent);

        // The queue of unconfirmed recipients offers the button too, beside the request's failed recipient.
        await GotoQueueRowAsync(page, requestId);
        Assert.True(await page.IsVisibleAsync($"tr:has(a[href='/console/requests/{requestId}']) .recipient[data-recipient='{merchantId}'] form.redeliver button"));
        await page.GotoAsync($"/console/requests/{requestId}");
        var cell = $".recipient-status[data-recipient='{merchantId}']";
        Assert.Equal("failed", await page.GetAttributeAsync(cell, "data-status"));
        await BrowserFixture.ScreenshotAsync(page, "console-redelivery");
        receiver.ComeBack();
        await ResendAsync(page, cell, $"/console/requests/{requestId}");
        // The same event reaches the merchant once its endpoint answers, one attempt more than before.
        var told = await shop.CustomerClient.WaitForRecipientAsync(requestId, merchantId, "notified");
        Assert.Equal(failed.GetProperty("attempts").GetInt32() + 1, told.GetProperty("attempts").GetInt32());
        Assert.True((await receiver.WaitForAsync(r => r.Endpoint == merchantId && r.Answered == 200)).Verified);
        // Audited as the API's route is: the agent, the console's redelivery route, the request and the recipient named.
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE actor_id = $1 AND action = $2 AND detail LIKE '%' || $3 || '%' AND detail LIKE '%' || $4 || '%'",
            agent.StaffId, "POST /console/requests/{requestId}/recipients/{recipient}/redelivery", requestId, merchantId));
    }

    [Fact]
    public async Task P1_10_P3_1_P1_7_support_sees_a_failed_withdrawal_notice_masked_and_resends_it_from_the_users_page_audited_with_receipt_and_recipient()
    {
        await using var receiver = await WebhookReceiver.StartDownAsync();
        var (shop, receiptId, failed) = await platform.WithdrawalTellingTheMerchantAsync(receiver, "failed");
        var (merchantId, user) = (shop.Merchant.MerchantId, shop.Customer);
        var agent = await platform.EnrolStaffAsync("客服小周", "support");
        await using var context = await platform.NewContextAsync();
        var page = await SignedInAgentAsync(context, agent);

        // The queue's unconfirmed tab lists the failed withdrawal notice, with its button, and nothing unmasked of the user.
        await page.GotoAsync("/console?view=unconfirmed");
        Assert.True(await page.IsVisibleAsync($"#failed-withdrawals tr#receipt-{receiptId} .recipient[data-recipient='{merchantId}'] form.redeliver button"));
        Assert.DoesNotContain(user.Phone, await page.ContentAsync(), StringComparison.Ordinal);
        // The user's page: the withdrawal's receipt names the merchant told, failed, with the button; the profile masked.
        await page.GotoAsync($"/console/users/{user.UserId}");
        var told = $"tr#receipt-{receiptId} .recipient[data-recipient='{merchantId}']";
        Assert.Equal("failed", await page.GetAttributeAsync(told, "data-status"));
        Assert.DoesNotContain(user.Phone, await page.ContentAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "console-withdrawal-redelivery");
        receiver.ComeBack();
        await ResendAsync(page, told, $"/console/users/{user.UserId}");
        // The same consent.withdrawn reaches the merchant once its endpoint answers, one attempt more than before.
        var now = await shop.CustomerClient.WaitForReceiptRecipientAsync(receiptId, "notified", merchantId);
        Assert.Equal(failed.GetProperty("attempts").GetInt32() + 1, now.GetProperty("attempts").GetInt32());
        var received = await receiver.WaitForAsync(r => r.Endpoint == merchantId && r.Answered == 200);
        Assert.True(received.Verified);
        Assert.Equal("consent.withdrawn", received.Type);
        Assert.Equal(receiptId, received.Data.GetProperty("receiptId").GetString());
        // One audit entry about the user, by the agent, on the console's route, naming the receipt and the recipient.
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE actor_id = $1 AND action = $2 AND subject_user_id = $3 AND detail LIKE '%' || $4 || '%' AND detail LIKE '%' || $5 || '%'",
            agent.StaffId, "POST /console/users/{userId}/consent-records/{receiptId}/recipients/{recipient}/redelivery", user.UserId, receiptId, merchantId));
    }

    [Fact]
    public async Task P1_5_P4_4_support_sees_a_correction_changes_the_delivery_and_waits_for_the_user_who_confirms_it_signed_in_afresh()
    {
        var user = await platform.RegisterUserAsync();
        var agent = await platform.EnrolStaffAsync("客服小陈", "support");
        var filed = await platform.Client(agent.ApiKey).FileRequestAsync(user.UserId, new
        {
            type = "correction", reason = "用户来电要求改送货地址 The user called to change the delivery address",
            verification = "回拨注册手机并核对最近订单 Called back the registered number, checked the last order",
            details = new { delivery = new { recipientName = "陈某", address = "陕西省西安市碑林区南大街 1 号" } },
        });
        var requestId = filed.RequestId();
        var notice = $"#changes-delivery-{requestId}";

        // The agent's request page says it plainly, above everything else, and the request waits.
        await using (var console = await platform.NewContextAsync())
        {
            var page = await SignedInAgentAsync(console, agent);
            await page.GotoAsync($"/console/requests/{requestId}");
            Assert.True(await page.IsVisibleAsync(notice));
            Assert.Contains("changes where the user's orders are delivered", await page.InnerTextAsync(notice), StringComparison.Ordinal);
            Assert.Contains("after signing in again", await page.InnerTextAsync(notice), StringComparison.Ordinal);
            Assert.Contains("Awaiting confirmation", await page.InnerTextAsync("#request-status"), StringComparison.Ordinal);
            Assert.DoesNotContain("南大街", await page.ContentAsync(), StringComparison.Ordinal);
            await BrowserFixture.ScreenshotAsync(page, "console-request-changes-delivery");
        }

        // The user, just signed in on a phone, reads the same on their requests page and confirms it.
        await using var phone = await platform.NewContextAsync(phone: true);
        var own = await phone.NewPageAsync();
        await own.GotoAsync("/privacy/signin?returnUrl=%2Fprivacy%2Frequests");
        await own.FillAsync("input[name=Phone]", user.Phone);
        await own.FillAsync("input[name=Password]", user.Password);
        await own.ClickAsync("button[type=submit]");
        await BrowserFixture.WaitForPageAsync(own, "/privacy/requests", Patience);
        Assert.Contains("changes where your orders are delivered", await own.InnerTextAsync(notice), StringComparison.Ordinal);
        Assert.Null(await own.QuerySelectorAsync($"{notice} .sign-in-again"));
        await BrowserFixture.ScreenshotAsync(own, "privacy-requests-changes-delivery");
        await own.ClickAsync($"tr:has({notice}) form[action*=Confirm] button");
        await ExpectNoticeAsync(own);
        Assert.NotEqual("true", await own.GetAttributeAsync(notice, "data-awaiting"));
    }

    [Fact]
    public async Task P4_3_P4_4_an_operator_opens_a_closing_merchant_from_the_console_and_sees_its_erasure_stalled_with_the_stuck_order_ids()
    {
        var (merchantId, stall, _) = await ConsoleFlagsTests.StalledClosingMerchantAsync(platform);
        await using var context = await platform.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/signin");
        await page.FillAsync("input[name=apiKey]", PlatformFixture.OperatorKey);
        await page.ClickAsync("button[type=submit]");
        await BrowserFixture.WaitForPageAsync(page, "/console", Patience);

        await page.FillAsync("input[name=merchantId]", merchantId);
        await page.ClickAsync("form[action='/console/merchants'] button");
        await BrowserFixture.WaitForPageAsync(page, $"/console/merchants/{merchantId}", Patience);

        Assert.True(await page.IsVisibleAsync("#erasure-stalled"));
        Assert.Equal(MeiLing.Api.Consoles.Labels.When(stall.Since), await page.InnerTextAsync("#stalled-since"));
        Assert.Equal(stall.OrderIds, (await page.InnerTextAsync("#stalled-orders")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("Closing", await page.InnerTextAsync("#merchant-status"), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "console-merchant-stalled");
    }

    /// <summary>
    /// Clicks Re-send beside the failed recipient <paramref name="recipient"/> (a selector): back on <paramref name="causePage"/>,
    /// the notice says it is due again (waiting to be sent, or already being tried), and the recipient, no longer failed, has no button.
    /// </summary>
    private static async Task ResendAsync(IPage page, string recipient, string causePage)
    {
        await page.ClickAsync($"{recipient} form.redeliver button");
        await ExpectNoticeAsync(page);

        Assert.EndsWith(causePage, page.Url, StringComparison.Ordinal);
        var notice = await page.InnerTextAsync(".alert.notice");
        Assert.True(notice.Contains("waiting to be sent", StringComparison.Ordinal) || notice.Contains("retrying", StringComparison.Ordinal), notice);
        Assert.NotEqual("failed", await page.GetAttributeAsync(recipient, "data-status"));
        Assert.Null(await page.QuerySelectorAsync($"{recipient} form.redeliver"));
    }

    // The Sign out buttons of both consoles, clicked as rendered: a form without its antiforgery token was refused (400),
    // and the session, on a shared computer, went on.
    [Fact]
    public async Task P4_4_sign_out_clicked_in_either_console_ends_its_session()
    {
        var user = await platform.RegisterUserAsync();
        // One browser, as on a shared workstation: the user's privacy-center session beside the agent's console.
        await using var context = await platform.NewContextAsync();
        var privacy = await context.NewPageAsync();
        await privacy.GotoAsync("/privacy/signin");
        await privacy.FillAsync("input[name=Phone]", user.Phone);
        await privacy.FillAsync("input[name=Password]", user.Password);
        await privacy.ClickAsync("button[type=submit]");
        await ExpectAsync(privacy, "header.bar a[href='/privacy/requests']");
        var console = await SignedInAgentAsync(context, await platform.EnrolStaffAsync("下班客服", "support"));

        await privacy.ClickAsync("header.bar form button");
        await BrowserFixture.WaitForPageAsync(privacy, "/privacy/signin", Patience);
        await console.ClickAsync("header.bar form button");
        await BrowserFixture.WaitForPageAsync(console, "/console/signin", Patience);

        await privacy.GotoAsync("/privacy");
        await BrowserFixture.WaitForPageAsync(privacy, "/privacy/signin?returnUrl=%2Fprivacy", Patience);
        await console.GotoAsync("/console");
        await BrowserFixture.WaitForPageAsync(console, "/console/signin?returnUrl=%2Fconsole", Patience);
    }

    private static async Task<IPage> SignedInAgentAsync(IBrowserContext context, StaffEnrolledBody agent)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/signin");
        await page.FillAsync("input[name=apiKey]", agent.ApiKey);
        await page.ClickAsync("button[type=submit]");
        await BrowserFixture.WaitForPageAsync(page, "/console", Patience);
        return page;
    }

    /// <summary>Opens the queue of unconfirmed recipients at the page holding the request (others' requests share the database).</summary>
    private static async Task GotoQueueRowAsync(IPage page, string requestId)
    {
        await page.GotoAsync("/console?view=unconfirmed");
        while (await page.QuerySelectorAsync($"a[href='/console/requests/{requestId}']") is null)
        {
            var next = await page.QuerySelectorAsync("a.button:has-text('Next page')");
            Assert.True(next is not null, $"{requestId} is not in the queue of unconfirmed recipients.");
            await page.GotoAsync((await next!.GetAttributeAsync("href"))!);
        }
    }

    /// <summary>Waits for the page's notice; a refusal shown instead fails with its words.</summary>
    private static Task ExpectNoticeAsync(IPage page) => ExpectAsync(page, ".alert.notice");

    private static async Task ExpectAsync(IPage page, string selector)
    {
        try
        {
            await page.WaitForSelectorAsync($"{selector}, .alert.error", new PageWaitForSelectorOptions { Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{page.Url}: {await page.ContentAsync()}");
        }

        if (await page.QuerySelectorAsync(".alert.error") is { } error)
        {
            Assert.Fail($"{page.Url}: {await error.InnerTextAsync()}");
        }
    }

    /// <summary>Reloads until the element shows the text: a request moves on by its reminder, seconds later.</summary>
    private static async Task ReloadUntilAsync(IPage page, string selector, string text)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!(await page.InnerTextAsync(selector)).Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{selector}' never showed '{text}'.");
            await page.WaitForTimeoutAsync(500);
            await page.ReloadAsync();
        }
    }
}
