using MeiLing.Grains.DataRights;
using MeiLing.Tests.Api;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.DataRights;

/// <summary>P8.1: a request support filed that nobody confirms within the window is cancelled, not left open for ever.</summary>
[Collection(TimeTravelCollection.Name)]
public sealed class ConfirmationDeadlineTests(TimeTravelFixture platform)
{
    [Fact]
    public async Task P8_1_a_request_unconfirmed_for_7_days_is_cancelled_and_erases_nothing()
    {
        var user = await platform.RegisterUserAsync();
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Deadline", "support")).ApiKey);
        var filed = await support.FileRequestAsync(user.UserId, new { type = "cancellation", reason = "asked by phone", verification = "callback" });
        var request = platform.Grains.GetGrain<IDataRightsRequestGrain>(filed.RequestId());

        platform.Clock.Advance(TimeSpan.FromDays(6));
        var stillWaiting = await request.Drive();
        platform.Clock.Advance(TimeSpan.FromDays(2));
        var expired = await request.Drive();

        Assert.Equal(DataRightsRequestStatus.AwaitingConfirmation, stillWaiting.Status);
        Assert.Equal(DataRightsRequestStatus.Cancelled, expired.Status);
        Assert.Equal(0, expired.Progress!.StepsDone);
        Assert.Equal(HttpStatusCode.OK, (await support.GetAsync($"/v1/users/{user.UserId}")).StatusCode);
    }

    // The window was kept by the expiry reminder alone: one lost or late (a restored reminders table) let the user's
    // confirmation, or a second agent's approval, start a request past it.
    [Fact]
    public async Task P8_1_a_request_past_its_window_is_not_confirmed_even_before_its_expiry_reminder_comes()
    {
        var user = await platform.RegisterUserAsync();
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Late Word", "support")).ApiKey);
        var approver = platform.Client((await platform.EnrolStaffAsync("Agent Late Approval", "support")).ApiKey);
        var filed = await support.FileRequestAsync(user.UserId, new { type = "cancellation", reason = "asked by phone", verification = "callback" });
        var requestId = filed.RequestId();

        platform.Clock.Advance(TimeSpan.FromDays(8));
        var approved = await approver.PostAsJsonAsync($"/v1/requests/{requestId}/approval", new { reason = "second look" });
        var seen = await platform.Grains.GetGrain<IDataRightsRequestGrain>(requestId).Get();

        Assert.EndsWith("/request-expired", (await approved.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(DataRightsRequestStatus.Cancelled, seen!.Status);
        Assert.Equal(HttpStatusCode.OK, (await support.GetAsync($"/v1/users/{user.UserId}")).StatusCode);
    }
}
