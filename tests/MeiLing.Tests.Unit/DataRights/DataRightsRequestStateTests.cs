using MeiLing.Grains.DataRights;

namespace MeiLing.Tests.Unit.DataRights;

public sealed class DataRightsRequestStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DataRightsRequestType.Cancellation, "support", DataRightsRequestStatus.AwaitingConfirmation)]
    [InlineData(DataRightsRequestType.Deletion, "support", DataRightsRequestStatus.AwaitingConfirmation)]
    [InlineData(DataRightsRequestType.Withdrawal, "support", DataRightsRequestStatus.AwaitingConfirmation)]
    [InlineData(DataRightsRequestType.Access, "support", DataRightsRequestStatus.Received)]
    [InlineData(DataRightsRequestType.Correction, "support", DataRightsRequestStatus.AwaitingConfirmation)]
    [InlineData(DataRightsRequestType.Cancellation, "user", DataRightsRequestStatus.Received)]
    [InlineData(DataRightsRequestType.Correction, "user", DataRightsRequestStatus.Received)]
    public void P1_7_only_what_support_files_to_erase_withdraw_or_correct_awaits_the_user(DataRightsRequestType type, string filedBy, DataRightsRequestStatus expected)
    {
        var state = new DataRightsRequestState();

        state.Receive("usr_1", new FileDataRightsRequest(type, RequestDetails.None, filedBy, "stf_1", "r", "v"), Now);

        Assert.Equal(expected, state.Status);
        Assert.True(state.IsOpen);
        Assert.Equal(Now + IDataRightsRequestGrain.AnswerWithin, state.DueAt);
    }

    // P4.1: a redacted request stays in clear beside its user's id; the orders a correction readdressed (or a deletion
    // erased the address of) joined the anonymized orders back to the person. Kept while the cancellation still runs.
    [Fact]
    public void P4_1_a_redacted_request_names_no_order_once_closed_and_keeps_them_while_its_cancellation_runs()
    {
        var correction = Filed(DataRightsRequestType.Correction, "user");
        correction.OrdersChanged = ["ord_1"];
        correction.Close(new DataRightsRequestState.Outcome(DataRightsRequestStatus.Completed, Now.AddMinutes(5), null, null));
        var cancellation = Filed(DataRightsRequestType.Cancellation, "user");
        cancellation.Inventory = new MeiLing.Grains.Users.AccountInventory(["tkt_1"]);

        correction.Redact();
        cancellation.Redact();
        var whileRunning = cancellation.Inventory;
        cancellation.Close(new DataRightsRequestState.Outcome(DataRightsRequestStatus.Completed, Now.AddMinutes(5), null, null));

        Assert.Empty(correction.OrdersChanged);
        Assert.NotNull(whileRunning);
        Assert.Null(cancellation.Inventory);
    }

    // P4.1: a refusal in a cancellation's later step (a payment partner no silo has, at an order's anonymization) rejected
    // it: the account stayed closed with its data and key, and nothing was open to finish it, nor could be filed.
    [Fact]
    public void P4_1_a_refusal_after_a_cancellation_closed_the_account_does_not_end_it_rejected()
    {
        var cancellation = Filed(DataRightsRequestType.Cancellation, "user");
        var deletion = Filed(DataRightsRequestType.Deletion, "user");
        var beforeItsFirstStep = cancellation.IsRejectedBy(MeiLing.Grains.DomainErrorKind.Conflict);

        cancellation.RecordStep(new RequestStep.CloseAccount(), 1, Now, audited: true);
        deletion.RecordStep(new RequestStep.CloseAccount(), 1, Now, audited: true);

        Assert.True(beforeItsFirstStep);
        Assert.False(cancellation.IsRejectedBy(MeiLing.Grains.DomainErrorKind.Invalid));
        Assert.True(deletion.IsRejectedBy(MeiLing.Grains.DomainErrorKind.Invalid));
        Assert.False(Filed(DataRightsRequestType.Deletion, "user").IsRejectedBy(MeiLing.Grains.DomainErrorKind.Unavailable));
    }

    [Fact]
    public void A_confirmed_request_is_received_and_says_who_confirmed_it()
    {
        var state = Filed(DataRightsRequestType.Cancellation, "support");

        state.Confirm(new RequestActor(RequestActor.SupportRole, "stf_2"), "checked again", Now.AddHours(1));

        var view = state.ToView("req_1", [new RequestStep.CloseAccount()]);
        Assert.Equal(DataRightsRequestStatus.Received, view.Status);
        Assert.Equal(Now.AddHours(1), view.ConfirmedAt);
        Assert.Equal("support", view.FiledBy);
        Assert.Equal("support:stf_2", state.ConfirmedBy);
    }

    [Fact]
    public void P8_1_a_request_can_be_cancelled_only_until_its_first_step()
    {
        var state = Filed(DataRightsRequestType.Access, "user");
        var before = state.IsUntouched;

        state.RecordStep(new RequestStep.AssembleExport(), 1, Now, audited: true);

        Assert.True(before);
        Assert.False(state.IsUntouched);
    }

    [Fact]
    public void A_cancelled_request_shows_when_it_was_cancelled_not_completed()
    {
        var state = Filed(DataRightsRequestType.Access, "user");

        state.Close(new DataRightsRequestState.Outcome(DataRightsRequestStatus.Cancelled, Now.AddMinutes(5), null, null));

        var view = state.ToView("req_1", [new RequestStep.AssembleExport()]);
        Assert.Equal(Now.AddMinutes(5), view.CancelledAt);
        Assert.Null(view.CompletedAt);
        Assert.False(state.IsOpen);
    }

    private static DataRightsRequestState Filed(DataRightsRequestType type, string filedBy)
    {
        var state = new DataRightsRequestState();
        state.Receive("usr_1", new FileDataRightsRequest(type, RequestDetails.None, filedBy, "stf_1", "r", "v"), Now);
        return state;
    }
}
