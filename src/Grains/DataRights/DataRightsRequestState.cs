using MeiLing.Grains.Privacy;
using MeiLing.Grains.Privacy.Encryption;
using MeiLing.Grains.Users;

namespace MeiLing.Grains.DataRights;

/// <summary>Persisted state of a data-rights request: what was asked, and every step carried out so far.</summary>
[HoldsPersonalData]
public sealed class DataRightsRequestState : IOwnedByUser
{
    [NotPersonalData]
    public bool Redacted { get; set; }

    // Sealed while it may hold corrected fields or support's notes; in clear once redacted, so the
    // record of the request outlives the account.
    string? IOwnedByUser.OwnerUserId => Redacted || UserId.Length == 0 ? null : UserId;

    [NotPersonalData]
    public string UserId { get; set; } = "";

    [NotPersonalData]
    public DataRightsRequestType Type { get; set; }

    // Corrected fields can be personal data; redacted when the account is cancelled.
    [PersonalData(DataCategory.Basic)]
    public RequestDetails Details { get; set; } = RequestDetails.None;

    [NotPersonalData]
    public string FiledByRole { get; set; } = "";

    [NotPersonalData]
    public string FiledById { get; set; } = "";

    [PersonalData(DataCategory.Basic)]
    public string? Reason { get; set; }

    [PersonalData(DataCategory.Identity)]
    public string? Verification { get; set; }

    [NotPersonalData]
    public DataRightsRequestStatus Status { get; set; }

    [NotPersonalData]
    public DateTimeOffset ReceivedAt { get; set; }

    [NotPersonalData]
    public DateTimeOffset DueAt { get; set; }

    [NotPersonalData]
    public DateTimeOffset? CompletedAt { get; set; }

    [NotPersonalData]
    public List<StepRecord> Steps { get; set; } = [];

    [NotPersonalData]
    public AccountInventory? Inventory { get; set; }

    [NotPersonalData]
    public string? RejectionReason { get; set; }

    [NotPersonalData]
    public ErasureReceipt? Receipt { get; set; }

    /// <summary>
    /// The outcome being written, before what follows from it (the user told, the index, the audit entry): a request whose
    /// last write failed after those finishes as it was told it did, never running after a cancellation it announced.
    /// </summary>
    [NotPersonalData]
    public PendingClose? Closing { get; set; }

    /// <summary>What the user's member cards were settled for, read while their key still exists, for the receipt.</summary>
    [NotPersonalData]
    public long MemberCardsSettledFen { get; set; }

    /// <summary>
    /// The orders a deletion of addresses erased the address of (those past delivery; one still to be delivered keeps
    /// it): the ones its recipients are told to erase it from; or the orders a correction of the delivery readdressed
    /// (those still to be delivered), named to its recipients as <c>readdressedOrderIds</c> (P3.1).
    /// </summary>
    [NotPersonalData]
    public List<string> OrdersChanged { get; set; } = [];

    /// <summary>
    /// What the cancellation's last verification still found (table and grain names, never data); empty once it completes.
    /// For a deletion of addresses, that orders still to be delivered keep theirs until they are not (P3.1, P4.1).
    /// </summary>
    [NotPersonalData]
    public List<string> Remaining { get; set; } = [];

    /// <summary>Set when the request is received and cleared once its receipt is in the audit log, so a crash in between audits it later, once.</summary>
    [NotPersonalData]
    public bool ReceivedAuditPending { get; set; }

    /// <summary>When the user confirmed, or a second agent approved, a request that awaited it.</summary>
    [NotPersonalData]
    public DateTimeOffset? ConfirmedAt { get; set; }

    /// <summary>Who confirmed or approved it (<c>role:id</c>), and the approver's reason.</summary>
    [NotPersonalData]
    public string? ConfirmedBy { get; set; }

    [PersonalData(DataCategory.Basic)]
    public string? ApprovalReason { get; set; }

    /// <summary>
    /// A cancellation's follow-up code (<see cref="FollowUpCodes"/>): once the account and its sessions are gone, it is
    /// how the user still reads the request and which recipients confirmed (P8.1). Kept in clear: it opens nothing but
    /// this record, which sits beside it in the same row.
    /// </summary>
    [NotPersonalData]
    public string? FollowUpCode { get; set; }

    /// <summary>Open, and not closing (<see cref="Closing"/>): its steps may still run.</summary>
    public bool IsOpen => Status.IsOpen() && Closing is null;

    public bool IsAwaitingConfirmation => Status == DataRightsRequestStatus.AwaitingConfirmation && Closing is null;

    /// <summary>Whether it can still be cancelled or rejected: open, and no step has run.</summary>
    public bool IsUntouched => IsOpen && Steps.Count == 0;

    public void Receive(string userId, FileDataRightsRequest request, DateTimeOffset now, string? followUpCode = null)
    {
        FollowUpCode = followUpCode;
        UserId = userId;
        Type = request.Type;
        Details = request.Details;
        FiledByRole = request.FiledByRole;
        FiledById = request.FiledById;
        Reason = request.Reason;
        Verification = request.Verification;
        Status = request.NeedsConfirmation ? DataRightsRequestStatus.AwaitingConfirmation : DataRightsRequestStatus.Received;
        ReceivedAt = now;
        DueAt = now + IDataRightsRequestGrain.AnswerWithin;
        ReceivedAuditPending = true;
    }

    /// <summary>The user's confirmation or a second agent's approval: the request may now be carried out.</summary>
    public void Confirm(RequestActor by, string? reason, DateTimeOffset now)
    {
        Status = DataRightsRequestStatus.Received;
        ConfirmedAt = now;
        ConfirmedBy = $"{by.Role}:{by.Id}";
        ApprovalReason = reason;
    }

    // A step is kept under its name, so requests written before the plans were typed read on unchanged.
    public bool IsDone(RequestStep step) => Steps.Exists(s => s.Name == step.Name);

    /// <summary>A step done, with whether its audit entry is written: both go into the same write.</summary>
    public void RecordStep(RequestStep step, int count, DateTimeOffset now, bool audited)
    {
        Status = DataRightsRequestStatus.InProgress;
        Steps.Add(new StepRecord { Name = step.Name, Count = count, CompletedAt = now, Audited = audited });
    }

    /// <summary>Adds what a step erased when it ran again (the receipt counts both runs).</summary>
    public void AddToStep(RequestStep step, int count)
    {
        if (Steps.Find(s => s.Name == step.Name) is { } record)
        {
            record.Count += count;
        }
    }

    /// <summary>
    /// Whether a step's refusal (bad input, something missing, a conflict, a refusal of the caller) ends the request
    /// rejected. Not a cancellation past its first step: the account is closed by then, and rejected, it stayed closed
    /// with its data and key, no request open to finish it and none to be filed (the account refuses filings while it
    /// closes). Such a refusal is tried again as a passing failure is, and the request stays open, on support's overdue
    /// list once past its due date, until the step goes through (P4.1).
    /// </summary>
    public bool IsRejectedBy(DomainErrorKind refusal) =>
        refusal is DomainErrorKind.Invalid or DomainErrorKind.NotFound or DomainErrorKind.Conflict or DomainErrorKind.Forbidden
        && !(Type == DataRightsRequestType.Cancellation && Steps.Count > 0);

    /// <summary>The outcome decided, to be written before anything follows from it; the first decided stands.</summary>
    public PendingClose BeginClosing(PendingClose closing) => Closing ??= closing;

    public void Close(Outcome outcome)
    {
        Closing = null;
        Status = outcome.Status;
        CompletedAt = outcome.At;
        RejectionReason = outcome.RejectionReason;
        Receipt = outcome.Receipt;
        ForgetOrdersIfRedacted();
    }

    /// <summary>
    /// Drops from a closed request's details what a deletion of <paramref name="category"/> erases, and its free-text notes;
    /// an open one keeps what it is still to apply, and one awaiting confirmation loses its notes only. True when something
    /// was dropped.
    /// </summary>
    public bool ForgetDetailsOf(ErasableCategory category)
    {
        if (IsOpen && !IsAwaitingConfirmation)
        {
            return false;
        }

        var notesErased = EraseNotes();
        if (IsOpen)
        {
            return notesErased;
        }

        var forgotten = category switch
        {
            ErasableCategory.Addresses when Details.Delivery is { } delivery && (delivery.Address ?? delivery.DoorNumber) is not null =>
                Details with { Delivery = delivery with { Address = null, DoorNumber = null } },
            ErasableCategory.Avatar when Details.Correction is { AvatarUrl: not null } profile =>
                Details with { Correction = profile with { AvatarUrl = null } },
            ErasableCategory.BirthDate when Details.Correction is { BirthDate: not null } profile =>
                Details with { Correction = profile with { BirthDate = null } },
            _ => null,
        };
        if (forgotten is null)
        {
            return notesErased;
        }

        Details = forgotten;
        return true;
    }

    // P4.1 (*reviewer*): why a request was filed, how the caller was verified, why it was approved or rejected are free text,
    // mostly support's, that may quote what a deletion erases ("confirmed DOB 1990-01-01, lives at …"); no reading tells
    // which category a sentence holds, so a deletion of any category replaces them all, as a cancellation's redaction does.
    // The rejection's too: kept whole, unlike the redaction's masked copy. Type, status and dates stay the user's record.
    // Whoever filed it: a user's own filing through the API may carry a reason too. A marker replaced is not counted again.
    private bool EraseNotes()
    {
        var before = (Reason, Verification, ApprovalReason, RejectionReason);
        Reason = Erased(Reason);
        Verification = Erased(Verification);
        ApprovalReason = Erased(ApprovalReason);
        RejectionReason = Erased(RejectionReason);
        return (Reason, Verification, ApprovalReason, RejectionReason) != before;
    }

    private static string? Erased(string? note) => note is null ? null : RedactedNote;

    private const string RedactedNote = "[redacted]";

    public void Redact()
    {
        Redacted = true;
        Details = RequestDetails.None;
        Reason = Erased(Reason);
        Verification = Erased(Verification);
        ApprovalReason = Erased(ApprovalReason);
        // Staff's words, which may quote the user (*reviewer*): kept masked, they held names and addresses as typed (masking
        // finds only numbers and e-mail addresses), in clear beside the user's id for good. The request's status says it was
        // rejected; why is the user's to read while they have an account.
        RejectionReason = Erased(RejectionReason);
        ForgetOrdersIfRedacted();
    }

    // P4.1: a redacted request is kept in clear beside its user's id (the user's key is gone); the orders it changed and the
    // account's inventory (order and ticket ids) would join the anonymized orders back to the person. Forgotten once the
    // request is closed: an open cancellation redacts itself part-way and its later steps still need them.
    private void ForgetOrdersIfRedacted()
    {
        if (Redacted && !IsOpen)
        {
            OrdersChanged = [];
            Inventory = null;
        }
    }

    public DataRightsRequestView ToView(string requestId, IReadOnlyList<RequestStep> plan) => new(
        requestId, UserId, Type, Status, ReceivedAt, DueAt, Status == DataRightsRequestStatus.Cancelled ? null : CompletedAt,
        new RequestProgress(Steps.Count, plan.Count, IsOpen && !IsAwaitingConfirmation ? plan.FirstOrDefault(step => !IsDone(step))?.Name : null),
        Receipt, RejectionReason,
        FiledByRole is RequestActor.SupportRole or RequestActor.PlatformRole ? FiledByRole : RequestActor.UserRole,
        ConfirmedAt,
        Status == DataRightsRequestStatus.Cancelled ? CompletedAt : null,
        ChangesDelivery: Details.Delivery is not null);

    /// <summary>How a request ended.</summary>
    public sealed record Outcome(DataRightsRequestStatus Status, DateTimeOffset At, string? RejectionReason, ErasureReceipt? Receipt);

    /// <summary>An outcome decided and written, with the audit action that records it and who decided it.</summary>
    public sealed record PendingClose(Outcome Outcome, string Action, string? ByRole, string? ById);

    public sealed class StepRecord
    {
        public string Name { get; set; } = "";

        public int Count { get; set; }

        public DateTimeOffset CompletedAt { get; set; }

        public bool Audited { get; set; }
    }
}
