using System.Text.Json;
using MeiLing.Grains.Platform;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.Users;
using MeiLing.Tests.Webhooks;

namespace MeiLing.Tests.DataRights;

/// <summary>
/// A cancellation followed once the account is gone (P8.1): the user's sessions end with it, yet the user still learns
/// the request finished and which recipients of their data confirmed erasing it, with the code the filing gave them.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class FollowUpTests(PlatformFixture platform)
{
    [Fact]
    public async Task P8_1_after_the_account_is_gone_the_user_follows_the_cancellation_and_sees_the_recipient_confirm_with_the_code_given_and_texted()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var shop = await platform.OpenShopAsync();
        await shop.MerchantClient.RegisterWebhookAsync(shop.Merchant.MerchantId, receiver);
        await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery());
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Follow-up", "support")).ApiKey);

        var filed = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "cancellation" });
        var requestId = filed.RequestId();
        var code = filed.GetProperty("followUpCode").GetString()!;
        await support.WaitUntilDoneAsync(requestId);
        await receiver.WaitForAsync(r => r.Endpoint == shop.Merchant.MerchantId && r.Type == "customer.redact");
        var told = await FollowUpUntilAsync(requestId, code, shop.Merchant.MerchantId, "notified");
        var texted = await TextsToAsync(shop.Customer.Phone);
        await shop.MerchantClient.PostAsync($"/v1/requests/{requestId}/recipients/{shop.Merchant.MerchantId}/confirmation", null);
        var confirmed = await FollowUpUntilAsync(requestId, code, shop.Merchant.MerchantId, "confirmed");

        // The account and its sessions are gone; the code, and nothing else, still opens the request, even sent by the app
        // that still carries the ended session's token.
        await (await shop.CustomerClient.GetAsync($"/v1/requests/{requestId}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var byTheApp = await shop.CustomerClient.PostAsJsonAsync($"/v1/requests/{requestId}/follow-up", new { code });
        Assert.True(byTheApp.StatusCode == HttpStatusCode.OK, await byTheApp.Content.ReadAsStringAsync());
        Assert.Equal(FollowUpLength, code.Length);
        Assert.Contains(texted, text => text.Contains(code, StringComparison.Ordinal) && text.Contains(requestId, StringComparison.Ordinal));
        Assert.Equal("completed", told.GetProperty("status").GetString());
        Assert.True(told.GetProperty("receipt").GetProperty("verified").GetBoolean());
        Assert.Equal(JsonValueKind.String, confirmed.GetProperty("recipients").EnumerateArray()
            .Single(r => r.GetProperty("recipient").GetString() == shop.Merchant.MerchantId).GetProperty("confirmedAt").ValueKind);
        // Whose request it was is not the code holder's to learn.
        Assert.False(confirmed.TryGetProperty("userId", out _));
        Assert.DoesNotContain(shop.Customer.UserId, confirmed.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task P8_1_P4_4_a_wrong_code_another_requests_code_or_a_request_without_one_opens_nothing()
    {
        var (_, cancellation) = await platform.UserWithRequestAsync("cancellation");
        var other = await platform.RegisterUserAsync();
        var otherFiled = await (await platform.AsUserAsync(other)).FileRequestAsync(other.UserId, new { type = "cancellation" });
        var (_, accessId) = await platform.AnsweredAccessRequestAsync();
        var anonymous = platform.Client();
        var path = $"/v1/requests/{cancellation.GetPrimaryKeyString()}/follow-up";

        var wrong = await anonymous.PostAsJsonAsync(path, new { code = new string('a', FollowUpLength) });
        var othersCode = await anonymous.PostAsJsonAsync(path, new { code = otherFiled.GetProperty("followUpCode").GetString() });
        var onAccess = await anonymous.PostAsJsonAsync($"/v1/requests/{accessId}/follow-up", new { code = otherFiled.GetProperty("followUpCode").GetString() });
        var none = await anonymous.PostAsJsonAsync(path, new { code = " " });
        var madeUp = await anonymous.PostAsJsonAsync($"/v1/requests/{EntityId.New(EntityId.RequestPrefix)}/follow-up", new { code = "abc" });

        await wrong.AssertProblemAsync(HttpStatusCode.NotFound);
        await othersCode.AssertProblemAsync(HttpStatusCode.NotFound);
        await onAccess.AssertProblemAsync(HttpStatusCode.NotFound);
        await none.AssertProblemAsync(HttpStatusCode.BadRequest);
        await madeUp.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task P1_7_P8_1_support_never_reads_the_follow_up_code_and_the_user_gets_it_on_confirming_supports_filing()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var agent = await platform.EnrolStaffAsync("Agent Code Reader", "support");
        var support = platform.Client(agent.ApiKey);

        var filed = await support.FileRequestAsync(user.UserId, new { type = "cancellation", reason = "user phoned", verification = "id card checked" });
        var read = await support.GetFromJsonAsync<JsonElement>($"/v1/requests/{filed.RequestId()}");
        var listed = await support.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/requests");
        var confirmed = await client.PostAsync($"/v1/requests/{filed.RequestId()}/confirmation", null);
        var code = (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("followUpCode").GetString()!;
        await support.WaitUntilDoneAsync(filed.RequestId());
        var readAgain = await support.GetFromJsonAsync<JsonElement>($"/v1/requests/{filed.RequestId()}");
        var followed = await platform.Client().PostAsJsonAsync($"/v1/requests/{filed.RequestId()}/follow-up", new { code });
        // The user read the code out to an agent: the agent's read is audited with the user, as any read by id is.
        var readOut = await support.PostAsJsonAsync($"/v1/requests/{filed.RequestId()}/follow-up", new { code });

        Assert.Equal(JsonValueKind.Null, filed.GetProperty("followUpCode").ValueKind);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("followUpCode").ValueKind);
        Assert.All(listed.GetProperty("items").EnumerateArray(), item => Assert.Equal(JsonValueKind.Null, item.GetProperty("followUpCode").ValueKind));
        Assert.Equal(JsonValueKind.Null, readAgain.GetProperty("followUpCode").ValueKind);
        Assert.Equal(HttpStatusCode.OK, followed.StatusCode);
        Assert.Equal("completed", (await followed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Contains(await TextsToAsync(user.Phone), text => text.Contains(code, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, readOut.StatusCode);
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE actor_id = $1 AND subject_user_id = $2 AND action = 'POST /v1/requests/{requestId}/follow-up'",
            agent.StaffId, user.UserId));
    }

    private const int FollowUpLength = 16;

    // The recipient's notice is delivered by the outbox a moment after the request completes: asked until it shows.
    private async Task<JsonElement> FollowUpUntilAsync(string requestId, string code, string recipient, string status)
    {
        var anonymous = platform.Client();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement view;
        do
        {
            var answer = await anonymous.PostAsJsonAsync($"/v1/requests/{requestId}/follow-up", new { code });
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            view = await answer.Content.ReadFromJsonAsync<JsonElement>();
            if (view.GetProperty("recipients").EnumerateArray().Any(r => r.GetProperty("recipient").GetString() == recipient && r.GetProperty("status").GetString() == status))
            {
                return view;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"{recipient} never showed {status}: {view}");
        return view;
    }

    private async Task<IReadOnlyList<string>> TextsToAsync(string phone) =>
        [.. (await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/sandbox/sms?phone={phone}")).GetProperty("items").EnumerateArray()
            .Select(message => message.GetProperty("text").GetString()!)];
}
