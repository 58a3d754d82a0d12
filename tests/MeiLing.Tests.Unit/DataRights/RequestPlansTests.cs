using MeiLing.Grains.Consents;
using MeiLing.Grains.DataRights;

namespace MeiLing.Tests.Unit.DataRights;

public sealed class RequestPlansTests
{
    [Fact]
    public void P4_1_a_cancellation_closes_first_erases_the_key_before_the_activity_log_and_verifies_last()
    {
        var names = RequestPlans.For(DataRightsRequestType.Cancellation, RequestDetails.None).Select(step => step.Name);

        // The names are stored in requests already under way, shown as progress and audited: they never change.
        Assert.Equal(
            ["close-account", "text-follow-up-code", "notify-recipients", "anonymize-orders", "settle-member-cards", "erase-tickets", "erase-locations",
             "erase-disclosures", "pseudonymize-consent-receipts", "redact-requests", "delete-account", "erase-activity", "verify"],
            names);
    }

    [Fact]
    public void A_deletion_runs_the_same_erasure_steps_as_a_cancellation_for_the_categories_named()
    {
        var details = RequestDetails.None with { Categories = [ErasableCategory.Locations, ErasableCategory.Tickets, ErasableCategory.BirthDate] };

        var plan = RequestPlans.For(DataRightsRequestType.Deletion, details);

        Assert.Equal(
            [new RequestStep.Erase(ErasureTarget.Locations), new RequestStep.Erase(ErasureTarget.Tickets), new RequestStep.Erase(ErasureTarget.BirthDate), new RequestStep.NotifyRecipients()],
            plan);
        Assert.Equal(["erase-locations", "erase-tickets", "erase-birth-date", "notify-recipients"], plan.Select(step => step.Name));
        Assert.Contains(plan[0], RequestPlans.CancellationErasure);
    }

    [Fact]
    public void A_withdrawal_has_one_typed_step_per_purpose()
    {
        var details = RequestDetails.None with { Purposes = [ConsentPurpose.Location, ConsentPurpose.MarketingSharing] };

        var plan = RequestPlans.For(DataRightsRequestType.Withdrawal, details);

        Assert.Equal([new RequestStep.WithdrawConsent(ConsentPurpose.Location), new RequestStep.WithdrawConsent(ConsentPurpose.MarketingSharing), new RequestStep.NotifyRecipients()], plan);
        Assert.Equal("withdraw-" + ConsentPurposes.Name(ConsentPurpose.MarketingSharing), plan[1].Name);
    }

    [Theory]
    [InlineData(DataRightsRequestType.Access, "assemble-export,notify-recipients")]
    [InlineData(DataRightsRequestType.Correction, "correct-profile,correct-deliveries,notify-recipients")]
    public void Every_plan_ends_by_telling_the_recipients(DataRightsRequestType type, string expected)
    {
        Assert.Equal(expected, string.Join(',', RequestPlans.For(type, RequestDetails.None).Select(step => step.Name)));
    }

    [Fact]
    public void A_step_done_is_found_by_its_type_and_argument_not_by_a_similar_one()
    {
        var state = new DataRightsRequestState();
        state.Receive("usr_1", new FileDataRightsRequest(DataRightsRequestType.Deletion, RequestDetails.None, "user", "usr_1", null, null), DateTimeOffset.UnixEpoch);

        state.RecordStep(new RequestStep.Erase(ErasureTarget.Locations), 3, DateTimeOffset.UnixEpoch, audited: true);

        Assert.True(state.IsDone(new RequestStep.Erase(ErasureTarget.Locations)));
        Assert.False(state.IsDone(new RequestStep.Erase(ErasureTarget.Activity)));
        Assert.True(state.Steps.Single().Audited);
    }
}
