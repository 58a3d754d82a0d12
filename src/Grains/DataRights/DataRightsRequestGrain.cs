using MeiLing.Grains.Audit;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Identity;
using MeiLing.Grains.Notifications;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeiLing.Grains.DataRights;

/// <summary>
/// Carries a data-rights request out step by step (P8.1), following its type's plan of typed steps
/// (<see cref="RequestPlans"/>). Each step is idempotent and is recorded, with its audit mark, in one write of
/// the grain's state when it is done. One durable reminder drives the request until the last step (its first
/// tick comes at once), so a crash anywhere delays the request and never loses it or leaves it half done.
/// </summary>
internal sealed partial class DataRightsRequestGrain(
    [PersistentState("data-rights-request", StorageNames.Default)] IPersistentState<DataRightsRequestState> state,
    DataRightsRequestIndexStore requests,
    ErasureSteps erasure,
    Webhooks.RequestRecipientNotices recipientNotices,
    Webhooks.WebhookOutboxStore recipients,
    IOptions<DataRightsSettings> settings,
    TimeProvider clock,
    ILogger<DataRightsRequestGrain> logger) : Grain, IDataRightsRequestGrain, IRemindable
{
    private const string DriveReminder = "drive";

    // While a request awaits the user's confirmation nothing drives it; this one reminder cancels it once
    // the week to confirm has passed.
    private const string ExpiryReminder = "confirmation-expiry";

    // What a deletion of addresses leaves, on its receipt: the orders still to be delivered keep theirs (never which orders:
    // the receipt outlives a later cancellation's redaction, and their ids would join the anonymized orders back to the person).
    private const string KeptToBeDelivered = "order delivery addresses kept to be delivered";

    // How long a follow-up code no answer carried is texted again before the erasure goes on without it: a provider's outage
    // passes within it; a number that never takes a text must not hold the account's erasure past its 15 days.
    private static readonly TimeSpan FollowUpTextTriedFor = TimeSpan.FromDays(2);

    private readonly AbsentRecordLinger _absent = new();

    private string RequestId => this.GetPrimaryKeyString();

    // The narrowest role of the request's user for each call.
    private TRole User<TRole>()
        where TRole : IGrainWithStringKey => GrainFactory.GetGrain<TRole>(state.State.UserId);

    // An open request that wakes up makes sure its reminder, the one thing that drives it, is there (it may have been
    // lost with a restored table), and puts its index row right after a crash between the row and the state.
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.RecordExists && state.State.IsOpen)
        {
            await EnsureReminderAsync();
            await requests.UpsertAsync(View());
        }
        else if (state.RecordExists && state.State.Closing is not null)
        {
            // Closing, its last write cut short: the drive's reminder finishes it (its index row may say how it ended already).
            await this.RegisterOrUpdateReminder(DriveReminder, settings.Value.DrivePeriod, settings.Value.DrivePeriod);
        }

        // A made-up request id leaves memory in seconds; a request being filed has its record by then.
        _absent.Start(this, () => state.RecordExists);
    }

    // The written state is the request: what it needs is in place before, and what follows it is
    // retried by the reminder. A crash before the state leaves a reminder and an index row that the
    // reminder's first tick removes.
    async Task<DataRightsRequestView> IDataRightsRequestGrain.Receive(string userId, FileDataRightsRequest request)
    {
        if (state.RecordExists)
        {
            return ViewFor(request);
        }

        if (request.NeedsConfirmation)
        {
            // Due a minute after the window, so its first tick finds the window over rather than just not yet.
            await this.RegisterOrUpdateReminder(ExpiryReminder, settings.Value.ConfirmWithin + TimeSpan.FromMinutes(1), settings.Value.ConfirmWithin);
        }
        else
        {
            await StartDrivingAsync();
        }

        state.State.Receive(userId, request, clock.GetUtcNow(), request.Type == DataRightsRequestType.Cancellation ? FollowUpCodes.New() : null);
        await requests.UpsertAsync(View());
        await state.WriteStateAsync();
        // Its mark rides on the request's next write; a crash before that audits the receipt again.
        await AuditReceivedAsync();
        return ViewFor(request);
    }

    async Task<DataRightsRequestView> IDataRightsRequestGrain.Confirm(RequestActor user)
    {
        if (!state.RecordExists || user.Role != RequestActor.UserRole || user.Id != state.State.UserId)
        {
            throw DomainException.NotFound("request-not-found", "No such request.");
        }

        // The user's own answer carries the follow-up code, as their own filing's would have.
        return await ConfirmAsync(user, null, "confirmed") with { FollowUpCode = state.State.FollowUpCode };
    }

    async Task<DataRightsRequestView> IDataRightsRequestGrain.ConfirmWithCode(RequestActor support, string verificationCode)
    {
        if (!state.RecordExists || support.Role != RequestActor.SupportRole)
        {
            throw DomainException.NotFound("request-not-found", "No such request.");
        }

        if (!state.State.IsAwaitingConfirmation)
        {
            throw DomainException.Conflict("request-not-awaiting-confirmation", "This request does not await a confirmation.");
        }

        // Before the code is tried: no code is texted for a delivery change, and a guess must not spend the user's attempts.
        RefuseWithoutTheUserIfItRedirectsDeliveries();

        // The user read the code on their own phone and gave it to support: the user's word, carried by support.
        if (!await User<IUserCredentials>().CheckVerificationCode(VerificationPurpose.ConfirmRequest, verificationCode, ConfirmationScope.Of(state.State.Type, RequestId)))
        {
            throw VerificationCodes.Failed();
        }

        return await ConfirmAsync(support, null, "confirmed-with-code");
    }

    async Task<DataRightsRequestView> IDataRightsRequestGrain.Approve(RequestActor approver, string reason)
    {
        if (!state.RecordExists || !approver.IsStaff)
        {
            throw DomainException.NotFound("request-not-found", "No such request.");
        }

        if (approver.Id == state.State.FiledById)
        {
            // Four eyes: the agent who filed it cannot also be the second agent.
            throw DomainException.Forbidden("own-request", "A request is approved by a key other than the one that filed it.");
        }

        // Nor the key that enrolled the filing agent (at any depth), nor an agent enrolled under the same staff key: an operator
        // who mints support keys, files with one and approves with their own or another is one person acting twice.
        switch (await Staff.EnrolmentLineage.KinshipAsync(GrainFactory, state.State.FiledById, approver.Id))
        {
            case Staff.EnrolmentKinship.FirstAboveSecond or Staff.EnrolmentKinship.SecondAboveFirst:
                throw DomainException.Forbidden("enrolled-the-filer", "A request is approved by a key that neither enrolled the agent who filed it nor was enrolled by them.");
            case Staff.EnrolmentKinship.SameEnroller:
                throw DomainException.Forbidden("enrolled-by-the-same-key", "A request is approved by an agent not enrolled under the same staff key as the agent who filed it.");
        }

        return await ConfirmAsync(approver, reason, "approved");
    }

    // P1.5, P1.7: a correction that changes where the user's orders go is the user's own to start, after a fresh sign-in,
    // as both the privacy center and the console tell them. Two agents agreeing, or a code read out over the phone (a
    // swapped SIM card gets it), would send paid goods to another address without the user.
    private void RefuseWithoutTheUserIfItRedirectsDeliveries()
    {
        if (state.State.Details.Delivery is not null)
        {
            throw DomainException.Forbidden(
                "user-confirmation-required", "A correction of where the orders are delivered starts only when the user confirms it in the privacy center.");
        }
    }

    async Task<DataRightsRequestView> IDataRightsRequestGrain.Cancel(RequestActor actor)
    {
        var isParty = state.RecordExists
            && ((actor.Role == RequestActor.UserRole && actor.Id == state.State.UserId) || (actor.IsStaff && actor.Id == state.State.FiledById));
        if (!isParty)
        {
            throw state.RecordExists && actor.IsStaff
                ? DomainException.Forbidden("not-the-filer", "Only the user or the agent who filed it can cancel a request.")
                : DomainException.NotFound("request-not-found", "No such request.");
        }

        if (state.State.FiledByRole == RequestActor.PlatformRole)
        {
            // P5.1: the platform files only what the user has no say in — a child's erasure on the guardian's withdrawal or
            // for want of the guardian's consent in time. Cancelled by the child, the data would stay, and nothing would
            // file it again (the deadline's reminder stops once it has filed).
            throw DomainException.Forbidden("filed-by-platform", "A request the platform filed (P5.1) cannot be cancelled by the user.");
        }

        if (state.State.Closing is { Outcome.Status: DataRightsRequestStatus.Cancelled })
        {
            // The caller's retry of a cancellation cut short after it was decided: it is finished as decided.
            await FinishClosingAsync();
            return View();
        }

        EnsureUntouched("cancelled");
        await FinishAsync(DataRightsRequestStatus.Cancelled, null, $"cancelled-by-{actor.Role}", actor);
        return View();
    }

    async Task<DataRightsRequestView> IDataRightsRequestGrain.Reject(RequestActor actor, string reason)
    {
        if (!state.RecordExists || !actor.IsStaff)
        {
            throw DomainException.NotFound("request-not-found", "No such request.");
        }

        if (state.State.Closing is { Outcome.Status: DataRightsRequestStatus.Rejected })
        {
            await FinishClosingAsync();
            return View();
        }

        EnsureUntouched("rejected");
        await FinishAsync(DataRightsRequestStatus.Rejected, reason, "rejected", actor);
        return View();
    }

    async Task<DataRightsRequestView?> IDataRightsRequestGrain.Get() => state.RecordExists ? await ViewWithRecipientsAsync() : null;

    Task<RequestDetails?> IDataRightsRequestGrain.ProposedChanges(string userId) =>
        Task.FromResult(state.RecordExists && state.State.IsAwaitingConfirmation && state.State.UserId == userId ? state.State.Details : null);

    Task<FilingToApprove?> IDataRightsRequestGrain.FilingToApprove() =>
        Task.FromResult(state.RecordExists && state.State.IsAwaitingConfirmation && state.State.FiledByRole == RequestActor.SupportRole
            ? FilingToApprove.Of(state.State.Details, state.State.Reason, state.State.Verification)
            : null);

    async Task<DataRightsRequestView?> IDataRightsRequestGrain.FollowUp(string code) =>
        state.RecordExists && FollowUpCodes.Matches(state.State.FollowUpCode, code) ? await ViewWithRecipientsAsync() : null;

    async Task<string?> IDataRightsRequestGrain.ExportPersonalData() =>
        state.RecordExists ? PersonalDataExporter.Export(await ViewWithRecipientsAsync(), state.State).ToJsonString() : null;

    async Task IDataRightsRequestGrain.KeepDriven()
    {
        if (state.RecordExists && state.State.IsOpen)
        {
            await EnsureReminderAsync();
        }
        else if (state.RecordExists && state.State.Closing is not null)
        {
            // A closing cut short whose activation lived on (*reviewer*): the sweep finishes it.
            await FinishClosingAsync();
        }
    }

    async Task<DataRightsRequestView> IDataRightsRequestGrain.Drive()
    {
        await DriveAsync();
        return View();
    }

    async Task IDataRightsRequestGrain.Redact()
    {
        if (state.RecordExists)
        {
            state.State.Redact();
            // P4.1: a redaction whose write failed must not stay in memory only: the deleting request's retry would find
            // nothing left to redact while storage still held the notes.
            await state.WriteOrForgetAsync(this);
        }
    }

    async Task<bool> IDataRightsRequestGrain.ForgetDetailsOf(ErasableCategory category)
    {
        if (!state.RecordExists || !state.State.ForgetDetailsOf(category))
        {
            return false;
        }

        // P4.1: read back if the write failed, so the deleting request's retry finds the details still to forget instead of
        // completing while storage holds them (they came back in exports once this request reactivated).
        await state.WriteOrForgetAsync(this);
        return true;
    }

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ExpiryReminder)
        {
            await DriveAsync();
            return;
        }

        if (!state.RecordExists || !state.State.IsAwaitingConfirmation)
        {
            await StopReminderAsync(ExpiryReminder);
            return;
        }

        await CancelIfUnconfirmedTooLongAsync();
    }

    // P8.1: a request nobody confirmed within the window is cancelled, so it does not sit open for ever.
    private async Task CancelIfUnconfirmedTooLongAsync()
    {
        if (state.State.IsAwaitingConfirmation && clock.GetUtcNow() >= state.State.ReceivedAt + settings.Value.ConfirmWithin)
        {
            await FinishAsync(DataRightsRequestStatus.Cancelled, null, "expired-unconfirmed", null);
        }
    }

    // The write that confirms is the decision: the drive reminder is in place before it, the expiry
    // reminder goes after it (one that ticks on a confirmed request stops itself).
    private async Task<DataRightsRequestView> ConfirmAsync(RequestActor by, string? reason, string action)
    {
        if (!state.State.IsAwaitingConfirmation)
        {
            throw DomainException.Conflict("request-not-awaiting-confirmation", "This request does not await a confirmation.");
        }

        // P8.1: past its window the request has expired, whether or not its reminder has come (one lost, or late): confirmed
        // or approved then, it started what nobody confirmed in time.
        await CancelIfUnconfirmedTooLongAsync();
        if (!state.State.IsAwaitingConfirmation)
        {
            throw DomainException.Conflict("request-expired", "Nobody confirmed this request within its window, so it is cancelled; file it again.");
        }

        // P8.1: the user's own filing of this type took this one's place; the set-aside it started may not have got here
        // (a silo lost in between). Confirmed now, the two would run side by side: this one ends as the set-aside would
        // have ended it, in the user's name.
        if (await User<IUserDataRights>().OpenRequestOf(state.State.Type) != RequestId)
        {
            await FinishAsync(DataRightsRequestStatus.Cancelled, null, "cancelled-by-user", new RequestActor(RequestActor.UserRole, state.State.UserId));
            throw DomainException.Conflict("request-superseded", "The user filed their own request of this type; this one is cancelled and cannot be confirmed.");
        }

        if (by.Role != RequestActor.UserRole)
        {
            RefuseWithoutTheUserIfItRedirectsDeliveries();
        }

        // P1.7: written to the audit log before it takes effect, as every step is: a confirmation or approval the log
        // cannot take starts nothing (an operator's approval has no audited call before it, as support's have). The log
        // is kept for good, past the user's cancellation: the reason goes in masked (an identity card or phone number an
        // approver typed), whole only in the request's own record, which the cancellation redacts (P4.1).
        await AuditAsync($"{Name(state.State.Type)}:{action}", by.Role, by.Id,
            reason is null ? null : $"{{\"requestId\":\"{RequestId}\",\"reason\":{System.Text.Json.JsonSerializer.Serialize(SupportMasking.MaskedForTheRecord(reason))}}}");
        await StartDrivingAsync();
        state.State.Confirm(by, reason, clock.GetUtcNow());
        await requests.UpsertAsync(View());
        await state.WriteStateAsync();
        await TellUserAsync(DataRightsRequestStatus.Received);
        await StopReminderAsync(ExpiryReminder);
        return View();
    }

    // No drive interleaves with this call (the reminder's tick is a call like any other): a request whose first
    // step has run says so in its state.
    private void EnsureUntouched(string outcome)
    {
        if (!state.State.IsUntouched)
        {
            throw DomainException.Conflict("request-under-way", $"Only a request that is open and has not started can be {outcome}.");
        }
    }

    // The one durable mechanism that drives a request: its reminder, every drive period until the request is
    // finished. Its first tick comes a whole period late (a tick due at registration has passed by the time the
    // reminder service starts counting), so this activation also starts the work itself after the start delay
    // (at once by default) in a turn of its own; should the silo die first, the reminder takes over. Reading the
    // request's progress is never held up by the work: Get interleaves.
    private async Task StartDrivingAsync()
    {
        await this.RegisterOrUpdateReminder(DriveReminder, settings.Value.StartDelay, settings.Value.DrivePeriod);
        this.RegisterGrainTimer(DriveAsync, new GrainTimerCreationOptions(settings.Value.StartDelay, Timeout.InfiniteTimeSpan));
    }

    private async Task DriveAsync()
    {
        if (!state.RecordExists)
        {
            // Receive's write may have reached the database although its answer was lost: ask again before
            // deciding the request was never received.
            await state.ReadStateAsync();
        }

        if (!state.RecordExists)
        {
            // Never received (a crash before its state was written): nothing to drive, nothing to list.
            await StopReminderAsync(DriveReminder);
            await StopReminderAsync(ExpiryReminder);
            await requests.DeleteAsync(RequestId);
            return;
        }

        if (state.State.Closing is not null)
        {
            // Its outcome was written and what follows from it was cut short: finished as decided.
            await FinishClosingAsync();
            return;
        }

        if (state.State.IsAwaitingConfirmation)
        {
            // Nothing runs before the user (or a second agent) says so; past the window, nothing ever will.
            await CancelIfUnconfirmedTooLongAsync();
            return;
        }

        await DriveStepsAsync();
    }

    private async Task DriveStepsAsync()
    {
        DataRightsRequestStatus outcome;
        string? rejection = null;
        try
        {
            await AuditPendingAsync();
            if (state.State.Steps.Count == 0 && state.State.IsOpen)
            {
                await TellUserAsync(DataRightsRequestStatus.InProgress);
            }

            foreach (var step in Plan())
            {
                if (state.State.IsDone(step) || !state.State.IsOpen)
                {
                    continue;
                }

                // One write per step: the step, what it counted and its audit mark. A crash before the write runs
                // the step again (it is idempotent) and audits it again.
                var count = await RunStepAsync(step);
                await AuditStepAsync(step.Name, count);
                state.State.RecordStep(step, count, clock.GetUtcNow(), audited: true);
                await state.WriteStateAsync();
            }

            outcome = state.State.IsOpen ? DataRightsRequestStatus.Completed : state.State.Status;
        }
        catch (DomainException refusal) when (state.State.IsRejectedBy(refusal.Kind))
        {
            outcome = DataRightsRequestStatus.Rejected;
            rejection = refusal.Message;
        }
        catch (Exception exception)
        {
            // Transient (a silo or the database went away): the reminder comes back for the rest.
            StepAside(exception);
            return;
        }

        try
        {
            await FinishAsync(outcome, rejection, outcome == DataRightsRequestStatus.Completed ? "completed" : "rejected", null);
        }
        catch (Exception exception)
        {
            StepAside(exception);
        }
    }

    // After a failed step this activation's memory may be ahead of its row (a step recorded but not
    // written) or behind it (a row written by an activation on a silo that was declared dead but ran
    // on): its ETag then never matches again, and every later drive would fail the same way. The next
    // reminder tick starts a fresh activation from what is durable; every step is idempotent.
    private void StepAside(Exception exception)
    {
        // A refusal held over (a cancellation past its first step) is named by its code, so whoever reads the log of a
        // request left open sees what keeps refusing it, not only that something did.
        LogStepFailed(RequestId, exception is DomainException refusal ? $"{refusal.Kind} refusal {refusal.Code}" : exception.GetType().Name);
        this.DeactivateOnIdle();
    }

    // Everything that follows from the outcome happens before the outcome is written, so whoever sees
    // "completed" also sees the user free to file again and the audit entry; each part is idempotent.
    // P8.1 (*reviewer*): the outcome is written first, as the request's closing: a cancellation whose one write failed after
    // the user was told "cancelled" (and the index said so) stayed open in storage, and its next activation ran it, an
    // account erased after its cancellation was announced. A closing written is finished on the next drive.
    private async Task FinishAsync(DataRightsRequestStatus outcome, string? rejection, string action, RequestActor? by)
    {
        if (state.State.IsOpen)
        {
            // The drive's reminder finishes a closing cut short (*reviewer*): a request awaiting confirmation had only its
            // expiry reminder, which stops itself once the request no longer awaits.
            if (await this.GetReminder(DriveReminder) is null)
            {
                await this.RegisterOrUpdateReminder(DriveReminder, settings.Value.DrivePeriod, settings.Value.DrivePeriod);
            }

            var decided = new DataRightsRequestState.PendingClose(
                new DataRightsRequestState.Outcome(outcome, clock.GetUtcNow(), rejection, outcome == DataRightsRequestStatus.Completed ? ReceiptFor() : null),
                action, by?.Role, by?.Id);
            state.State.BeginClosing(decided);
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                // Nothing followed from it yet: the request is as it was, and the caller hears of the failure.
                state.State.Closing = null;
                throw;
            }
        }

        await FinishClosingAsync();
    }

    private async Task FinishClosingAsync()
    {
        if (state.State.Closing is { } closing)
        {
            var final = closing.Outcome;
            await User<IUserDataRights>().RequestClosed(state.State.Type, RequestId);
            await TellUserAsync(final.Status);
            await requests.UpsertAsync(View() with { Status = final.Status, CompletedAt = final.At });
            await AuditAsync($"{Name(state.State.Type)}:{closing.Action}", closing.ByRole ?? "data-rights", closing.ById);
            state.State.Close(final);
            await state.WriteStateAsync();
        }

        await StopReminderAsync(DriveReminder);
        await StopReminderAsync(ExpiryReminder);
    }

    // P8.1: every status change reaches the user (a completed request by SMS too). Told once per status: the
    // user grain keeps one notice per request and status, so a step retried after a crash tells nobody twice.
    // A cancelled account is gone by the time its request completes, and the user grain then drops the notice.
    // The notice names the status, never a rejection's reason (*reviewer*): staff's words, which may quote what a later
    // deletion erases from the request, stayed in the inbox copy for good; the user reads the reason on the request.
    private Task TellUserAsync(DataRightsRequestStatus status)
    {
        var notice = NoticeKinds.RequestStatusChanged(RequestId, Name(state.State.Type), Name(status), clock.GetUtcNow());
        return status == DataRightsRequestStatus.Completed && state.State.Type != DataRightsRequestType.Cancellation
            ? User<IUserNotifications>().NotifyBySms(notice)
            : User<IUserNotifications>().Notify(notice);
    }

    private IReadOnlyList<RequestStep> Plan() => RequestPlans.For(state.State.Type, state.State.Details);

    // P8.1: texted while the account still has its number, so a user whose cancellation support filed, or who lost the
    // app's answer, can still follow it once the number, the sessions and the inbox are gone. Sent again, the same code,
    // should a crash make the step run twice. A cancellation filed before codes existed has none to text.
    private async Task<int> TextFollowUpCodeAsync()
    {
        if (state.State.FollowUpCode is not { } code)
        {
            return 0;
        }

        var text = NoticeKinds.CancellationFollowUpText(RequestId, code);
        var since = state.State.ConfirmedAt ?? state.State.ReceivedAt;
        if (FollowUpCodeAnswered() || clock.GetUtcNow() - since > FollowUpTextTriedFor)
        {
            // Past the days it is tried for, a number that never takes a text (dead, barred) holds the erasure up no longer:
            // sent once more, logged if it fails, and the erasure goes on (P4.1, P8.1).
            await User<IUserNoticeOwner>().TextNotice(text);
        }
        else
        {
            // P8.1 (*reviewer*): no answer carried the code (support filed and a second key approved, or the platform filed at
            // the guardian's deadline): sent once and logged when it failed, the user could never follow the erasure. The step
            // fails with the text, and the drive tries it again while the number is there (it is erased by a later step).
            await User<IUserNoticeOwner>().TextOrFail(text);
        }

        return 1;
    }

    // Kept with the step's own write; a step run again after a crash adds what it finds again, once.
    private int OrdersChanged(IReadOnlyList<string> orderIds)
    {
        state.State.OrdersChanged = [.. state.State.OrdersChanged.Union(orderIds, StringComparer.Ordinal)];
        return orderIds.Count;
    }

    // The export is gathered once as the user will download it, a part at a time (P4.4), to count what it holds (the
    // characters of its records) and to find now what would stop it.
    private async Task<int> CountExportAsync(string userId)
    {
        var characters = 0L;
        await foreach (var part in GrainFactory.GetGrain<IAccessExportGrain>(userId).Parts())
        {
            characters += part.Size;
        }

        return (int)Math.Min(characters, int.MaxValue);
    }

    private async Task<int> RunStepAsync(RequestStep step)
    {
        var userId = state.State.UserId;
        var details = state.State.Details;
        switch (step)
        {
            case RequestStep.TextFollowUpCode:
                return await TextFollowUpCodeAsync();
            case RequestStep.NotifyRecipients:
                return await recipientNotices.NotifyAsync(RequestId, userId, state.State.Type, details, state.State.OrdersChanged);
            case RequestStep.AssembleExport:
                return await CountExportAsync(userId);
            case RequestStep.CorrectProfile when details.Correction is { } correction:
                await User<IUserProfile>().CorrectProfile(correction);
                return 1;
            case RequestStep.CorrectProfile:
                return 0;
            case RequestStep.CorrectDeliveries:
                // The orders readdressed, which their recipients are told to read again (P3.1).
                return details.Delivery is { } delivery ? OrdersChanged(await erasure.CorrectDeliveriesAsync(userId, delivery)) : 0;
            case RequestStep.Erase { Target: ErasureTarget.Addresses } addresses:
                // The address book, and the addresses of the orders past delivery, which their recipients are told to erase.
                await ForgetInPastRequestsAsync(ErasableCategory.Addresses);
                var (erasedFromOrders, owedOnceDelivered) = await erasure.EraseDeliveryAddressesAsync(userId, RequestId);
                // P3.1, P4.1: an order still to be delivered keeps its address until it is not; until then the receipt says
                // so, rather than that everything named was erased. Kept with the step's own write; a step run again after
                // those orders were delivered finds nothing kept.
                state.State.Remaining = owedOnceDelivered > 0 ? [KeptToBeDelivered] : [];
                return await erasure.RunAsync(addresses.Target, userId, ClosedAccount()) + OrdersChanged(erasedFromOrders);
            case RequestStep.Erase { Target: ErasureTarget.Avatar } avatar:
                await ForgetInPastRequestsAsync(ErasableCategory.Avatar);
                return await erasure.RunAsync(avatar.Target, userId, ClosedAccount());
            case RequestStep.Erase { Target: ErasureTarget.BirthDate } birthDate:
                await ForgetInPastRequestsAsync(ErasableCategory.BirthDate);
                return await erasure.RunAsync(birthDate.Target, userId, ClosedAccount());
            case RequestStep.WithdrawConsent withdrawal:
                return await WithdrawAsync(withdrawal.Purpose);
            case RequestStep.CloseAccount:
                // Carried by the step's own write.
                state.State.Inventory ??= await User<IUserDataRights>().CloseAccount();
                return 1;
            case RequestStep.Erase { Target: ErasureTarget.MemberCards } cards:
                var settledCards = await erasure.RunAsync(cards.Target, userId, ClosedAccount());
                // P4.1: the receipt shows the money owed back, read while the user's key still exists.
                state.State.MemberCardsSettledFen = await GrainFactory.GetGrain<MemberCards.IMemberCardSettlementsGrain>(0).SettledForUser(userId);
                return settledCards;
            case RequestStep.Erase erase:
                return await erasure.RunAsync(erase.Target, userId, ClosedAccount());
            case RequestStep.RedactRequests:
                return await RedactRequestsAsync();
            case RequestStep.Verify:
                return await VerifyErasureAsync(ClosedAccount() ?? new AccountInventory([]));
            default:
                throw new InvalidOperationException($"No runner for step {step}.");
        }
    }

    // What the closed account held, for a cancellation; a deletion keeps the account, and has none.
    private AccountInventory? ClosedAccount() =>
        state.State.Type == DataRightsRequestType.Cancellation ? state.State.Inventory ?? new AccountInventory([]) : null;

    private async Task<int> WithdrawAsync(ConsentPurpose purpose)
    {
        var current = (await User<IUserConsents>().GetConsents()).Single(c => c.Purpose == purpose);
        if (!current.Granted)
        {
            // P1.2, P1.8 (*reviewer*): the step run again after its withdrawal's receipt was kept but what goes with it (the
            // location samples, the imported addresses) failed to go: the same answer again erases what is left, as the
            // consent route's retry does; nothing is withdrawn twice, so nothing is counted. The user's own filing withdrew
            // what was granted before answering (UserGrain.WithdrawAtFilingAsync, P1.2): its step comes here, with nothing
            // left to withdraw and only what the filing's follow-up left (a failed erasure) to finish.
            if (current.PolicyVersion is { } answeredUnder)
            {
                await User<IUserConsents>().SetConsent(new ConsentChange(purpose, false, answeredUnder, "data-rights-request"));
            }

            return 0;
        }

        await User<IUserConsents>().SetConsent(new ConsentChange(purpose, false, current.PolicyVersion!, "data-rights-request"));
        return 1;
    }

    // P4.1 (*reviewer*): a deleted address, avatar or birth date stayed in the correction that had set it, and came back in
    // every export. Closed requests only, asked first with the read that answers while a request runs: one still open
    // applies what it was filed with, and waiting on its turn (another deletion, a cancellation redacting this one) would
    // hold each request on the other's. Not counted in the step: the receipt counts the user's data, not the records of it.
    // Its closed corrections only (*reviewer*): every request the user ever filed, each woken in turn, per category erased.
    // Their free-text notes go too, in the same write (*reviewer*): support's verification quoted a birth date or an address.
    // Every closed request's notes, not only the corrections' (an agent's verification of a deletion or a withdrawal quoted
    // the birth date as well), woken once per deletion: with the first of its categories a note may quote. A filing still
    // awaiting confirmation too (*reviewer*): once it expired or was cancelled nothing looked at it again; it keeps what it
    // is to apply until it closes, its notes go now.
    private async Task ForgetInPastRequestsAsync(ErasableCategory category)
    {
        var notesToo = category == state.State.Details.Categories.FirstOrDefault(QuotableInNotes);
        var pastRequests = notesToo
            ? await requests.ClosedOrAwaitingOfUserAsync(state.State.UserId)
            : await requests.ClosedCorrectionsOfUserAsync(state.State.UserId);
        foreach (var requestId in pastRequests)
        {
            var other = GrainFactory.GetGrain<IDataRightsRequestGrain>(requestId);
            if (requestId != RequestId && await other.Get() is { } view
                && (!view.Status.IsOpen() || (notesToo && view.Status == DataRightsRequestStatus.AwaitingConfirmation)))
            {
                await other.ForgetDetailsOf(category);
            }
        }
    }

    private static bool QuotableInNotes(ErasableCategory category) =>
        category is ErasableCategory.Addresses or ErasableCategory.Avatar or ErasableCategory.BirthDate;

    // The user's other requests; this one is redacted by its own step write.
    private async Task<int> RedactRequestsAsync()
    {
        var redacted = 0;
        foreach (var requestId in await requests.OfUserAsync(state.State.UserId))
        {
            if (requestId != RequestId)
            {
                await GrainFactory.GetGrain<IDataRightsRequestGrain>(requestId).Redact();
                redacted++;
            }
        }

        state.State.Redact();
        return redacted;
    }

    // P4.1: a cancellation completes only once nothing of the account is found. What verification finds
    // (a row a flow still on its way wrote after its step ran) is erased again by every erasing step, all
    // idempotent, and looked for once more; should some still be there, the step fails and the next reminder
    // tick starts again from verification. A request that never verifies stays open and, past its due date,
    // is on support's overdue list, rather than being reported as done.
    private async Task<int> VerifyErasureAsync(AccountInventory inventory)
    {
        var userId = state.State.UserId;
        var remaining = await erasure.VerifyAsync(userId);
        if (remaining.Count > 0)
        {
            LogLeftovers(RequestId, string.Join(", ", remaining));
            foreach (var step in RequestPlans.CancellationErasure)
            {
                state.State.AddToStep(step, await erasure.RunAsync(step.Target, userId, inventory));
            }

            remaining = await erasure.VerifyAsync(userId);
        }

        state.State.Remaining = [.. remaining];
        if (remaining.Count > 0)
        {
            await state.WriteStateAsync();
            throw new InvalidOperationException($"The erasure left data in {string.Join(", ", remaining)}; verification runs again on the next tick.");
        }

        return 0;
    }

    private ErasureReceipt? ReceiptFor()
    {
        if (state.State.Type is not (DataRightsRequestType.Cancellation or DataRightsRequestType.Deletion))
        {
            return null;
        }

        var erased = state.State.Steps
            .Where(step => step.Name != new RequestStep.Verify().Name)
            .ToDictionary(step => step.Name, step => step.Count);
        var remaining = state.State.Remaining;
        return new ErasureReceipt(erased, remaining.Count == 0, remaining, state.State.MemberCardsSettledFen);
    }

    private async Task AuditReceivedAsync()
    {
        await AuditAsync($"{Name(state.State.Type)}:received", state.State.FiledByRole, state.State.FiledById);
        state.State.ReceivedAuditPending = false;
    }

    private Task AuditStepAsync(string step, int count) =>
        AuditAsync($"{Name(state.State.Type)}:{step}", detail: $"{{\"count\":{count}}}");

    // What a crash left unaudited (and steps recorded unaudited by earlier versions): audited now, marked in memory,
    // and carried by the next write.
    private async Task AuditPendingAsync()
    {
        if (state.State.ReceivedAuditPending)
        {
            await AuditReceivedAsync();
        }

        foreach (var step in state.State.Steps.Where(step => !step.Audited))
        {
            await AuditStepAsync(step.Name, step.Count);
            step.Audited = true;
        }
    }

    private Task AuditAsync(string action, string actorRole = "data-rights", string? actorId = null, string? detail = null) =>
        GrainFactory.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey)
            .Append(new AuditEntry(actorRole, actorId ?? RequestId, action, state.State.UserId, detail ?? $"{{\"requestId\":\"{RequestId}\"}}"));

    private async Task EnsureReminderAsync()
    {
        var (name, period) = state.State.IsAwaitingConfirmation
            ? (ExpiryReminder, settings.Value.ConfirmWithin)
            : (DriveReminder, settings.Value.DrivePeriod);
        if (await this.GetReminder(name) is null)
        {
            await this.RegisterOrUpdateReminder(name, period, period);
        }
    }

    private async Task StopReminderAsync(string name)
    {
        if (await this.GetReminder(name) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private DataRightsRequestView View() => state.State.ToView(RequestId, Plan());

    // Filing answers whoever filed: the user's own filing carries the follow-up code, and so does the platform's on a
    // guardian's withdrawal, whose answer goes to the guardian who just proved their number with a code (P5.1, P8.1: they
    // have no account to follow the child's erasure by); support's never does, nor a filing that finds the request already
    // received under another filer's name (a retry after a crash).
    private DataRightsRequestView ViewFor(FileDataRightsRequest filing) =>
        filing.FiledByRole is RequestActor.UserRole or RequestActor.PlatformRole
        && (filing.FiledByRole, filing.FiledById) == (state.State.FiledByRole, state.State.FiledById)
        && (filing.FiledByRole == RequestActor.UserRole || filing.FiledById == RequestActor.GuardianWithdrawalFiler)
            ? View() with { FollowUpCode = state.State.FollowUpCode }
            : View();

    // Whether the follow-up code reached someone in an answer: the user's own filing's, the guardian's withdrawal's.
    // A support filing's reaches the user only when the user confirms it, which is not told apart here: texted reliably.
    private bool FollowUpCodeAnswered() =>
        state.State.FiledByRole == RequestActor.UserRole || state.State.FiledById == RequestActor.GuardianWithdrawalFiler;

    // The recipients and their confirmations live beside the request, so they stay visible after it completes.
    private async Task<DataRightsRequestView> ViewWithRecipientsAsync() => View() with { Recipients = await recipients.RecipientsOfAsync(RequestId) };

    private static string Name<T>(T value)
        where T : struct, Enum => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} paused by {Reason}; its reminder resumes it")]
    private partial void LogStepFailed(string requestId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cancellation {RequestId} found data left in {Places}; erasing again")]
    private partial void LogLeftovers(string requestId, string places);
}
