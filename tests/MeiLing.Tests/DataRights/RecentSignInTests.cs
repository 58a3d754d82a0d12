using System.Net.Http.Headers;
using System.Text.Json;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.Retail;
using MeiLing.Tests.Users;
using Microsoft.IdentityModel.Tokens;

namespace MeiLing.Tests.DataRights;

/// <summary>
/// P4.4: a session token alone (copied from a cookie, or a phone left signed in) does not close the account, erase data
/// or turn off the member-card code: those need a sign-in of the last 15 minutes (MEILING_RECENT_SIGN_IN_MINUTES). The
/// stale token here is the user's own session, signed as the platform signed it 16 minutes ago: the same session id and
/// generation, still open, only its sign-in time (iat) older.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RecentSignInTests(PlatformFixture platform)
{
    // P4.4, A.2 (*reviewer*): an access request completed long ago let any session (a copy of the token) download everything
    // held about the user, the location track and addresses included, as often as ten times an hour, and nobody the wiser.
    [Fact]
    public async Task P4_4_a_session_signed_in_long_ago_downloads_no_export_until_the_user_signs_in_again()
    {
        var user = await platform.RegisterUserAsync();
        var fresh = await platform.AsUserAsync(user);
        var access = await fresh.FileRequestAsync(user.UserId, new { type = "access" });
        await platform.Grains.GetGrain<MeiLing.Grains.DataRights.IDataRightsRequestGrain>(access.RequestId()).Drive();

        var stale = await (await StaleSessionAsync(user)).GetAsync($"/v1/requests/{access.RequestId()}/export");
        var signedInAgain = await fresh.GetAsync($"/v1/requests/{access.RequestId()}/export");

        Assert.EndsWith("/recent-sign-in-required", (await stale.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, signedInAgain.StatusCode);
    }

    [Fact]
    public async Task P4_4_a_session_signed_in_long_ago_files_no_cancellation_or_deletion_until_the_user_signs_in_again()
    {
        var user = await platform.RegisterUserAsync();
        var stale = await StaleSessionAsync(user);

        var cancellation = await stale.PostAsJsonAsync($"/v1/users/{user.UserId}/requests", new { type = "cancellation" });
        var deletion = await stale.PostAsJsonAsync($"/v1/users/{user.UserId}/requests", new { type = "deletion", details = new { categories = new[] { "activity" } } });
        // What can be had back, or is only read, the session still does.
        var access = await stale.PostAsJsonAsync($"/v1/users/{user.UserId}/requests", new { type = "access" });

        var refused = await cancellation.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.EndsWith("/recent-sign-in-required", refused.TypeOf(), StringComparison.Ordinal);
        Assert.Contains("POST /v1/sessions", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/recent-sign-in-required", (await deletion.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, access.StatusCode);
        var filed = await stale.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/requests");
        Assert.Equal(["access"], filed.GetProperty("items").EnumerateArray().Select(request => request.GetProperty("type").GetString()));

        // The user signs in again (the password proven now) and closes the account.
        var fresh = await platform.AsUserAsync(user);
        var closed = await fresh.PostAsJsonAsync($"/v1/users/{user.UserId}/requests", new { type = "cancellation" });
        Assert.True(closed.StatusCode == HttpStatusCode.Accepted, await closed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task P4_4_a_session_signed_in_long_ago_cannot_confirm_a_cancellation_support_filed()
    {
        var user = await platform.RegisterUserAsync();
        var stale = await StaleSessionAsync(user);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Stale", "support")).ApiKey);
        var filed = await support.FileRequestAsync(user.UserId, new { type = "cancellation", reason = "caller asked by phone", verification = "callback" });

        var confirmed = await stale.PostAsync($"/v1/requests/{filed.RequestId()}/confirmation", null);

        Assert.EndsWith("/recent-sign-in-required", (await confirmed.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        var waiting = await support.GetFromJsonAsync<JsonElement>($"/v1/requests/{filed.RequestId()}");
        Assert.Equal("awaiting-confirmation", waiting.GetProperty("status").GetString());
        var fresh = await platform.AsUserAsync(user);
        Assert.Equal(HttpStatusCode.OK, (await fresh.PostAsync($"/v1/requests/{filed.RequestId()}/confirmation", null)).StatusCode);
    }

    [Fact]
    public async Task P1_5_P4_4_a_session_signed_in_long_ago_corrects_the_nickname_but_does_not_send_the_orders_elsewhere()
    {
        var shop = await platform.OpenShopAsync();
        var order = await shop.PlacePaidInTheAppAsync();
        var stale = await StaleSessionAsync(shop.Customer);
        var requests = $"/v1/users/{shop.Customer.UserId}/requests";

        var redirected = await stale.PostAsJsonAsync(requests, new { type = "correction", details = new { delivery = new { recipientName = "某人", address = "别处 9 号" } } });
        var renamed = await stale.PostAsJsonAsync(requests, new { type = "correction", details = new { nickname = "新名字" } });

        Assert.EndsWith("/recent-sign-in-required", (await redirected.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.True(renamed.StatusCode == HttpStatusCode.Accepted, await renamed.Content.ReadAsStringAsync());
        await stale.WaitUntilDoneAsync((await renamed.Content.ReadFromJsonAsync<JsonElement>()).RequestId());
        var delivery = (await stale.GetFromJsonAsync<JsonElement>($"/v1/orders/{order.Id()}")).GetProperty("delivery");
        Assert.Equal("陕西省西安市雁塔区科技路 88 号", delivery.GetProperty("address").GetString());
        Assert.Equal("新名字", (await stale.GetFromJsonAsync<JsonElement>($"/v1/users/{shop.Customer.UserId}")).GetProperty("nickname").GetString());
    }

    [Fact]
    public async Task P1_5_P4_4_a_session_signed_in_long_ago_cannot_confirm_a_delivery_correction_support_filed()
    {
        var shop = await platform.OpenShopAsync();
        var order = await shop.PlacePaidInTheAppAsync();
        var stale = await StaleSessionAsync(shop.Customer);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Readdress", "support")).ApiKey);
        var readdressed = await support.FileRequestAsync(shop.Customer.UserId, new
        {
            type = "correction", reason = "caller asked by phone", verification = "callback",
            details = new { delivery = new { recipientName = "某人", address = "别处 9 号" } },
        });
        // Another user's nickname, corrected by support, the session still confirms.
        var other = await platform.RegisterUserAsync();
        var renamed = await support.FileRequestAsync(other.UserId, new
        {
            type = "correction", reason = "caller asked by phone", verification = "callback", details = new { nickname = "新名字" },
        });

        var confirmedReaddress = await stale.PostAsync($"/v1/requests/{readdressed.RequestId()}/confirmation", null);
        var confirmedRename = await (await StaleSessionAsync(other)).PostAsync($"/v1/requests/{renamed.RequestId()}/confirmation", null);

        Assert.True(readdressed.GetProperty("changesDelivery").GetBoolean());
        Assert.False(renamed.GetProperty("changesDelivery").GetBoolean());
        Assert.EndsWith("/recent-sign-in-required", (await confirmedReaddress.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, confirmedRename.StatusCode);
        var waiting = await support.GetFromJsonAsync<JsonElement>($"/v1/requests/{readdressed.RequestId()}");
        Assert.Equal("awaiting-confirmation", waiting.GetProperty("status").GetString());
        Assert.True(waiting.GetProperty("changesDelivery").GetBoolean());
        var delivery = (await stale.GetFromJsonAsync<JsonElement>($"/v1/orders/{order.Id()}")).GetProperty("delivery");
        Assert.Equal("陕西省西安市雁塔区科技路 88 号", delivery.GetProperty("address").GetString());
        var fresh = await platform.AsUserAsync(shop.Customer);
        Assert.Equal(HttpStatusCode.OK, (await fresh.PostAsync($"/v1/requests/{readdressed.RequestId()}/confirmation", null)).StatusCode);
    }

    [Fact]
    public async Task P1_6_P4_4_a_session_signed_in_long_ago_turns_the_member_card_code_on_but_not_off()
    {
        var user = await platform.RegisterUserAsync();
        var stale = await StaleSessionAsync(user);
        var protection = $"/v1/users/{user.UserId}/member-card-protection";

        var on = await stale.PutAsJsonAsync(protection, new { codeAlways = true });
        var off = await stale.PutAsJsonAsync(protection, new { codeAlways = false });

        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        Assert.EndsWith("/recent-sign-in-required", (await off.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.True((await stale.GetFromJsonAsync<JsonElement>(protection)).GetProperty("codeAlways").GetBoolean());
        var fresh = await platform.AsUserAsync(user);
        Assert.Equal(HttpStatusCode.OK, (await fresh.PutAsJsonAsync(protection, new { codeAlways = false })).StatusCode);
    }

    // The member chose that every draw on their cards needs their code, so a merchant's key alone no longer draws on them.
    // A merchant in league with whoever copied the member's session then places an order for the member and the copy pays
    // it from the card as the member: no code asked, no recent password, the member's choice beside the point.
    [Fact]
    public async Task P1_6_P4_4_a_session_signed_in_long_ago_does_not_pay_from_a_card_its_member_protected_with_the_code()
    {
        var user = await platform.RegisterUserAsync();
        var till = await platform.OpenTillAsync("Colluding Shop");
        await till.Manager.AddStockedProductAsync(till.MerchantId, "TEA", 500, stock: null);
        var card = $"/v1/merchants/{till.MerchantId}/member-cards/{user.UserId}";
        Assert.Equal(HttpStatusCode.OK, (await till.Owner.PostAsJsonAsync($"{card}/top-ups", new { amountFen = 10_000 })).StatusCode);
        var fresh = await platform.AsUserAsync(user);
        Assert.Equal(HttpStatusCode.OK, (await fresh.PutAsJsonAsync($"/v1/users/{user.UserId}/member-card-protection", new { codeAlways = true })).StatusCode);
        var stale = await StaleSessionAsync(user);
        var placed = await till.Cashier.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/orders",
            new { userId = user.UserId, items = new[] { new { sku = "TEA", quantity = 2 } } });
        var order = (await placed.Content.ReadFromJsonAsync<JsonElement>()).Id();

        var byTheMerchantsKey = await till.Owner.PayAsync(order, "member-card", 1_000);
        var byTheCopy = await stale.PayAsync(order, "member-card", 1_000);

        Assert.EndsWith("/member-code-required", (await byTheMerchantsKey.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.EndsWith("/recent-sign-in-required", (await byTheCopy.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(10_000, (await till.Owner.GetFromJsonAsync<JsonElement>(card)).GetProperty("balanceFen").GetInt64());
        // What takes nothing from the card the old session still pays; the member, signed in again, pays from the card.
        Assert.Equal(HttpStatusCode.Created, (await stale.PayAsync(order, "wechat", 500)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await (await platform.AsUserAsync(user)).PayAsync(order, "member-card", 500)).StatusCode);
        Assert.Equal(9_500, (await till.Owner.GetFromJsonAsync<JsonElement>(card)).GetProperty("balanceFen").GetInt64());
    }

    // An objection to a business transfer cannot be withdrawn: at the date the user's orders at the merchant are anonymized
    // and their member card settled (its balance owed back by the merchant leaving) instead of moving to the successor.
    [Fact]
    public async Task P3_2_P4_4_a_session_signed_in_long_ago_does_not_object_to_a_transfer_for_the_user()
    {
        var successor = await platform.CreateMerchantAsync("Successor Of A Copied Session");
        var shop = await platform.OpenShopAsync();
        // The customer holds a card there: an objection would have it settled instead of moved.
        await shop.TopUpAsync(800);
        var started = await platform.Operator().PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/transfers",
            new { successorMerchantId = successor.MerchantId, effectiveAt = platform.Clock.GetUtcNow().AddDays(31) });
        Assert.True(started.StatusCode == HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        var transferId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("transferId").GetString();
        var stale = await StaleSessionAsync(shop.Customer);

        var byTheCopy = await stale.PostAsync($"/v1/transfers/{transferId}/objections", null);

        Assert.EndsWith("/recent-sign-in-required", (await byTheCopy.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        var fresh = await platform.AsUserAsync(shop.Customer);
        Assert.Equal(HttpStatusCode.Created, (await fresh.PostAsync($"/v1/transfers/{transferId}/objections", null)).StatusCode);
    }

    /// <summary>The user's own open session, as the platform would have signed it 16 minutes ago.</summary>
    private async Task<HttpClient> StaleSessionAsync(RegisteredUser user)
    {
        var session = await platform.SignInAsync(user);
        var client = platform.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            SessionTokens.Resign(session.Token, SecurityAlgorithms.HmacSha256, notBefore: DateTime.UtcNow.AddMinutes(-16)));
        return client;
    }
}
