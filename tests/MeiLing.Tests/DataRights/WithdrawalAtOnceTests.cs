using System.Text.Json;
using MeiLing.Grains.DataRights;
using MeiLing.Tests.Api;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.DataRights;

/// <summary>
/// P1.2: a withdrawal the user files stops its flows before the 202, not when the request's drive gets to it. On the
/// time-travel cluster requests are driven by hand only, so nothing here waits on a drive that happens to come quickly.
/// </summary>
[Collection(TimeTravelCollection.Name)]
public sealed class WithdrawalAtOnceTests(TimeTravelFixture platform)
{
    // P1.2 (*reviewer*): the withdrawal request answered 202 with location still granted; samples were taken until its step
    // ran in the request's drive, a drive period or more when any part of the drive failed.
    [Fact]
    public async Task P1_2_A_withdrawal_request_stops_location_at_once()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "location", true, version);
        await client.PostLocationAsync(user.UserId);

        var filed = await client.FileRequestAsync(user.UserId, new { type = "withdrawal", details = new { purposes = new[] { "location" } } });
        var sample = await client.PostLocationAsync(user.UserId);
        var consents = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/consents");
        var samplesKept = await platform.Database.ScalarAsync<long>("SELECT count(*) FROM user_location_samples WHERE user_id = $1", user.UserId);
        var done = await platform.Grains.GetGrain<IDataRightsRequestGrain>(filed.RequestId()).Drive();

        await sample.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.False(consents.GetProperty("items").EnumerateArray().Single(consent => consent.GetProperty("purpose").GetString() == "location").GetProperty("granted").GetBoolean());
        Assert.Equal(0L, samplesKept);
        // The request's own step finds it withdrawn and completes without a second receipt.
        Assert.Equal(DataRightsRequestStatus.Completed, done.Status);
        Assert.Equal(2L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM consent_receipts WHERE user_id = $1 AND purpose = 'location'", user.UserId));
    }

    // P1.7: support's filing waits for the user's word and withdraws nothing before it.
    [Fact]
    public async Task P1_7_P1_2_a_withdrawal_support_files_withdraws_nothing_until_confirmed()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "location", true, version);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Withdrawal At Once", "support")).ApiKey);

        var filed = await support.FileRequestAsync(user.UserId, new { type = "withdrawal", details = new { purposes = new[] { "location" } }, reason = "r", verification = "v" });
        var sample = await client.PostLocationAsync(user.UserId);

        Assert.Equal("awaiting-confirmation", filed.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Created, sample.StatusCode);
    }
}
