using System.Net;
using System.Text.Json;
using MeiLing.Api.Consoles;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Platform;
using MeiLing.Tests.Api;
using MeiLing.Tests.DataRights;
using MeiLing.Tests.Retail;
using MeiLing.Tests.Users;
using Microsoft.IdentityModel.Tokens;

namespace MeiLing.Tests.Consoles;

/// <summary>
/// What the consoles show of two things the API says (a request's <c>changesDelivery</c>, a closing merchant's
/// <c>erasureStalled</c>), and to whom, over plain HTTP against the real port.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleFlagsTests(BrowserFixture platform)
{
    private const string NewAddress = "别处 9 号 Elsewhere";
    private const string NewRecipient = "某某人";

    [Fact]
    public async Task P1_5_P4_4_the_console_says_a_delivery_correction_waits_for_the_users_confirmation_after_a_fresh_sign_in_and_shows_nothing_of_the_new_delivery()
    {
        var user = await platform.RegisterUserAsync();
        var (support, readdressed) = await DeliveryCorrectionFiledBySupportAsync(user);
        // A user has one open correction at a time: the nickname's is another user's.
        var other = await platform.RegisterUserAsync();
        var renamed = await support.FileRequestAsync(other.UserId, new
        {
            type = "correction", reason = "用户来电", verification = "回拨注册手机", details = new { nickname = "新名字" },
        });
        var agent = await SignedInAsync((await platform.EnrolStaffAsync("客服", "support")).ApiKey);
        var operatorBrowser = await SignedInAsync(PlatformFixture.OperatorKey);

        var requestPage = await agent.GetStringAsync($"/console/requests/{readdressed}");
        var renamePage = await agent.GetStringAsync($"/console/requests/{renamed.RequestId()}");
        var userPage = await agent.GetStringAsync($"/console/users/{user.UserId}");
        var otherPage = await agent.GetStringAsync($"/console/users/{other.UserId}");
        var operatorPage = await operatorBrowser.GetStringAsync($"/console/requests/{readdressed}");

        var notice = Between(requestPage, $"id=\"changes-delivery-{readdressed}\"", "</div>\n");
        Assert.Contains("data-awaiting=\"true\"", notice, StringComparison.Ordinal);
        Assert.Contains("This correction changes where the user's orders are delivered.", notice, StringComparison.Ordinal);
        Assert.Contains($"after signing in again (within {TestRecentSignInMinutes} minutes", requestPage, StringComparison.Ordinal);
        Assert.Contains("Changes delivery", requestPage, StringComparison.Ordinal);
        Assert.DoesNotContain("changes-delivery", renamePage, StringComparison.Ordinal);
        // The user's page lists it with the mark; the nickname correction's user's page, without it.
        Assert.Contains("Changes delivery", RowOfLink(userPage, readdressed), StringComparison.Ordinal);
        Assert.DoesNotContain("Changes delivery", RowOfLink(otherPage, renamed.RequestId()), StringComparison.Ordinal);
        // The corrected delivery is the user's data: no page shows it, to support or anyone.
        Assert.All(new[] { requestPage, userPage, operatorPage }, page =>
        {
            Assert.DoesNotContain(NewAddress, page, StringComparison.Ordinal);
            Assert.DoesNotContain(NewRecipient, page, StringComparison.Ordinal);
        });
        // An operator, who may approve it, reads the request as in the API: the mark, never the new delivery (above), and
        // the read is on the user's access log.
        Assert.Contains($"id=\"changes-delivery-{readdressed}\"", operatorPage, StringComparison.Ordinal);
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE actor_role = 'operator' AND subject_user_id = $1 AND detail LIKE '%' || $2 || '%'", user.UserId, readdressed));
    }

    [Fact]
    public async Task P1_5_P4_4_the_privacy_center_tells_its_user_a_delivery_correction_waits_for_them_and_a_session_signed_in_long_ago_to_sign_in_again()
    {
        var user = await platform.RegisterUserAsync();
        var (support, readdressed) = await DeliveryCorrectionFiledBySupportAsync(user);
        var fresh = await SignedInUserAsync(user);
        var stale = await StaleUserAsync(user);

        var freshPage = await fresh.GetStringAsync("/privacy/requests");
        var stalePage = await stale.GetStringAsync("/privacy/requests");
        var confirmedStale = await stale.PostFormAsync($"/privacy/requests?handler=Confirm&requestId={readdressed}", new(), "/privacy/requests");

        var freshNotice = Between(freshPage, $"id=\"changes-delivery-{readdressed}\"", "</td>");
        Assert.Contains("This correction changes where your orders are delivered.", freshNotice, StringComparison.Ordinal);
        Assert.Contains($"it changes nothing until you confirm it, within {TestRecentSignInMinutes} minutes of signing in", freshNotice, StringComparison.Ordinal);
        Assert.DoesNotContain("sign-in-again", freshNotice, StringComparison.Ordinal);
        var staleNotice = Between(stalePage, $"id=\"changes-delivery-{readdressed}\"", "</td>");
        Assert.Contains("href=\"/privacy/signin?returnUrl=%2Fprivacy%2Frequests\"", staleNotice, StringComparison.Ordinal);
        Assert.Contains($"You signed in more than {TestRecentSignInMinutes} minutes ago: sign in again first.", staleNotice, StringComparison.Ordinal);
        // The stale session's confirmation is the API's 403, shown on the page it goes back to; the request still waits.
        Assert.Equal(HttpStatusCode.Redirect, confirmedStale.StatusCode);
        Assert.Contains("needs a recent sign-in", await stale.GetStringAsync(confirmedStale.Headers.Location!.ToString()), StringComparison.Ordinal);
        var waiting = await support.GetFromJsonAsync<JsonElement>($"/v1/requests/{readdressed}");
        Assert.Equal("awaiting-confirmation", waiting.GetProperty("status").GetString());
    }

    [Fact]
    public async Task P4_3_P4_4_an_operator_sees_in_the_console_that_a_closing_merchants_erasure_stalled_since_when_and_the_stuck_order_ids()
    {
        var (merchantId, stall, cashierKey) = await StalledClosingMerchantAsync();
        var active = await platform.CreateMerchantAsync("Still Trading");
        var operatorBrowser = await SignedInAsync(PlatformFixture.OperatorKey);

        var page = await operatorBrowser.GetStringAsync($"/console/merchants/{merchantId}");
        var fromTheBox = await operatorBrowser.GetAsync($"/console/merchants?merchantId={merchantId}");
        var activePage = await operatorBrowser.GetStringAsync($"/console/merchants/{active.MerchantId}");
        var unknown = await operatorBrowser.GetAsync($"/console/merchants/{EntityId.New(EntityId.MerchantPrefix)}");
        var malformed = await operatorBrowser.GetAsync("/console/merchants?merchantId=usr_not_a_merchant");

        var stalled = Between(page, "id=\"erasure-stalled\"", "</section>");
        Assert.Contains($"Since {Labels.When(stall.Since)}, 3 walks in a row anonymized nothing", stalled, StringComparison.Ordinal);
        Assert.Contains($"<dd id=\"stalled-next-attempt\">{Labels.When(stall.NextAttemptAt)}</dd>", stalled, StringComparison.Ordinal);
        Assert.All(stall.OrderIds, orderId => Assert.Contains($"<li class=\"id\">{orderId}</li>", stalled, StringComparison.Ordinal));
        Assert.Contains(" Closing</span>", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, fromTheBox.StatusCode);
        Assert.Equal($"/console/merchants/{merchantId}", fromTheBox.Headers.Location!.OriginalString);
        Assert.Contains(" Active</span>", activePage, StringComparison.Ordinal);
        Assert.DoesNotContain("erasure-stalled", activePage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);

        // Support reads no merchant, in the console as in the API; a cashier's key opens no console page at all.
        var agent = await SignedInAsync((await platform.EnrolStaffAsync("客服", "support")).ApiKey);
        var bySupport = await agent.GetAsync($"/console/merchants/{merchantId}");
        var (cashierBrowser, _) = NewBrowser();
        var cashierSignIn = await cashierBrowser.PostFormAsync("/console/signin", new() { ["apiKey"] = cashierKey });
        using var byHeader = new HttpRequestMessage(HttpMethod.Get, $"/console/merchants/{merchantId}");
        byHeader.Headers.Add("X-Api-Key", cashierKey);
        var byCashier = await cashierBrowser.SendAsync(byHeader);
        Assert.Equal(HttpStatusCode.Forbidden, bySupport.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, cashierSignIn.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, byCashier.StatusCode);
        foreach (var refused in new[] { bySupport, byCashier })
        {
            var shown = await refused.Content.ReadAsStringAsync();
            Assert.All(stall.OrderIds, orderId => Assert.DoesNotContain(orderId, shown, StringComparison.Ordinal));
        }
    }

    /// <summary>The test deployment's <c>MEILING_RECENT_SIGN_IN_MINUTES</c>, the default.</summary>
    private const int TestRecentSignInMinutes = 15;

    /// <summary>A correction support filed that readdresses the user's orders, awaiting the user's confirmation.</summary>
    private async Task<(HttpClient Support, string RequestId)> DeliveryCorrectionFiledBySupportAsync(RegisteredUser user)
    {
        var support = platform.Client((await platform.EnrolStaffAsync("客服 改址", "support")).ApiKey);
        var filed = await support.FileRequestAsync(user.UserId, new
        {
            type = "correction", reason = "用户来电要求改送货地址", verification = "回拨注册手机并核对最近订单",
            details = new { delivery = new { recipientName = NewRecipient, address = NewAddress } },
        });
        Assert.True(filed.GetProperty("changesDelivery").GetBoolean());
        return (support, filed.RequestId());
    }

    /// <summary>
    /// A merchant serving its notice whose erasure stalled, as <c>MerchantGrain</c> records it after three walks without
    /// progress (the walk itself is <c>TimeTravelTests</c>'): two order ids, one card left. Returns a cashier's key of it too.
    /// </summary>
    internal static async Task<(string MerchantId, MerchantErasureStall Stall, string CashierKey)> StalledClosingMerchantAsync(PlatformFixture platform)
    {
        var merchant = await platform.CreateMerchantAsync("Closing Tea House");
        var cashier = await platform.Client(merchant.ApiKey).EnrolAsync(merchant.MerchantId, "收银员", "cashier");
        Assert.Equal(HttpStatusCode.Accepted,
            (await platform.Operator().PostAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/termination", new { noticeDays = 30 })).StatusCode);
        var since = DateTimeOffset.UtcNow.AddHours(-3);
        var stall = new MerchantErasureStall(
            [EntityId.New(EntityId.OrderPrefix), EntityId.New(EntityId.OrderPrefix)], MemberCardsLeft: 1, WalksWithoutProgress: 3, since, since.AddHours(4));
        var grain = platform.Grains.GetGrain<IMerchantGrain>(merchant.MerchantId);
        await grain.EndActivationAsync();
        await platform.ChangeStoredStateAsync<MerchantState>(grain, "merchant", stored => stored.ErasureStall = stall);
        return (merchant.MerchantId, stall, cashier.ApiKey);
    }

    private Task<(string MerchantId, MerchantErasureStall Stall, string CashierKey)> StalledClosingMerchantAsync() => StalledClosingMerchantAsync(platform);

    /// <summary>The text of <paramref name="html"/> from <paramref name="start"/> to the next <paramref name="end"/>.</summary>
    private static string Between(string html, string start, string end)
    {
        var from = html.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"The page has no {start}.");
        var rest = html[from..];
        return rest[..rest.IndexOf(end, StringComparison.Ordinal)];
    }

    /// <summary>The table row that links to <paramref name="requestId"/>.</summary>
    private static string RowOfLink(string html, string requestId)
    {
        var link = html.IndexOf($"/console/requests/{requestId}\"", StringComparison.Ordinal);
        Assert.True(link >= 0, $"The page lists no {requestId}.");
        var start = html.LastIndexOf("<tr>", link, StringComparison.Ordinal);
        return html[start..html.IndexOf("</tr>", link, StringComparison.Ordinal)];
    }

    private (HttpClient Client, CookieContainer Cookies) NewBrowser()
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(platform.BaseUrl) };
        return (client, cookies);
    }

    private async Task<HttpClient> SignedInAsync(string apiKey)
    {
        var (browser, _) = NewBrowser();
        var signedIn = await browser.PostFormAsync("/console/signin", new() { ["apiKey"] = apiKey });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return browser;
    }

    private async Task<HttpClient> SignedInUserAsync(RegisteredUser user)
    {
        var (browser, _) = NewBrowser();
        var signedIn = await browser.PostFormAsync("/privacy/signin", new() { ["phone"] = user.Phone, ["password"] = user.Password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return browser;
    }

    /// <summary>The user's own open session in the privacy center's cookie, as the platform would have signed it 16 minutes ago.</summary>
    private async Task<HttpClient> StaleUserAsync(RegisteredUser user)
    {
        var session = await platform.SignInAsync(user);
        var (browser, cookies) = NewBrowser();
        cookies.Add(new Uri(platform.BaseUrl), new Cookie("meiling_session",
            SessionTokens.Resign(session.Token, SecurityAlgorithms.HmacSha256, notBefore: DateTime.UtcNow.AddMinutes(-16))));
        return browser;
    }
}
