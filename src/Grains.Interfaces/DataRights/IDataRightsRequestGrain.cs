namespace MeiLing.Grains.DataRights;

/// <summary>
/// One data-rights request, keyed by request id (<c>req_…</c>): a durable state machine whose steps are
/// recorded one by one and are idempotent, driven by a reminder, so a silo killed mid-way or a
/// database restart delays the request but never loses or half-finishes it (P8.1).
/// </summary>
[Alias("meiling.data-rights-request")]
public interface IDataRightsRequestGrain : IGrainWithStringKey
{
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromDays(15);

    /// <summary>
    /// Records the request as received (due 15 days later) and starts carrying it out; one that needs the user's
    /// confirmation (<see cref="FileDataRightsRequest.NeedsConfirmation"/>) waits for it and changes nothing, and is
    /// cancelled by itself when nobody confirms it in time (<c>MEILING_CONFIRMATION_DAYS</c>, 7).
    /// </summary>
    [Alias("receive")]
    Task<DataRightsRequestView> Receive(string userId, FileDataRightsRequest request);

    /// <summary>The request and its progress; answers even while the request is being carried out.</summary>
    [Alias("get")]
    [AlwaysInterleave]
    Task<DataRightsRequestView?> Get();

    /// <summary>
    /// What the request would change (the corrected profile or delivery, the categories, the purposes), for
    /// <paramref name="userId"/> alone and only while it awaits their confirmation: the user confirms what support filed
    /// for them knowing what it does (P1.5, P1.7). Null otherwise.
    /// </summary>
    [Alias("proposed-changes")]
    [ReadOnly]
    Task<RequestDetails?> ProposedChanges(string userId);

    /// <summary>
    /// What a support agent's filing asks a second key to approve, and the filer's reason and verification (P1.7), while it
    /// awaits that approval or the user's confirmation; null for any other request. Support's reading is masked by its caller.
    /// </summary>
    [Alias("filing-to-approve")]
    [ReadOnly]
    Task<FilingToApprove?> FilingToApprove();

    /// <summary>
    /// The request and its recipients for whoever holds its follow-up code (a cancellation's, P8.1): the user once the
    /// account and its sessions are gone. Null for a wrong code, for a request without one, and for no such request alike.
    /// </summary>
    [Alias("follow-up")]
    [AlwaysInterleave]
    Task<DataRightsRequestView?> FollowUp(string code);

    /// <summary>
    /// The request as its user's access bundle shows it, driven by the data-category tags; null when none.
    /// Interleaves, because the access request being answered gathers the bundle and asks itself too.
    /// </summary>
    [Alias("export-personal-data")]
    [AlwaysInterleave]
    Task<string?> ExportPersonalData();

    /// <summary>Carries out whatever steps remain; what the reminder calls, and safe to call at any time.</summary>
    [Alias("drive")]
    Task<DataRightsRequestView> Drive();

    /// <summary>
    /// Makes sure an open request has the reminder that drives it (the open-request sweep's call, for a
    /// reminder lost outside the request's own writes, e.g. by a restore); a closed request needs none.
    /// </summary>
    /// <remarks>Waits its turn: interleaved with the request's own closing turn, it could give a finished request its reminder back.</remarks>
    [Alias("keep-driven")]
    Task KeepDriven();

    /// <summary>The user confirms a request support filed for them (their own session): it starts. 409 unless it awaits confirmation.</summary>
    [Alias("confirm")]
    Task<DataRightsRequestView> Confirm(RequestActor user);

    /// <summary>
    /// Support confirms for the user with the code the user received (purpose <c>confirm-request</c>, texted when
    /// support filed it): it starts. 400 <c>verification-failed</c>; 409 unless it awaits confirmation.
    /// </summary>
    [Alias("confirm-with-code")]
    Task<DataRightsRequestView> ConfirmWithCode(RequestActor support, string verificationCode);

    /// <summary>
    /// A second support or operator key approves a request awaiting confirmation, with its reason: it starts.
    /// The filer's own key gets 403; a request not awaiting confirmation, 409. Audited.
    /// </summary>
    [Alias("approve")]
    Task<DataRightsRequestView> Approve(RequestActor approver, string reason);

    /// <summary>The user, or the agent who filed it, withdraws the request before its first step: cancelled. Afterwards 409.</summary>
    [Alias("cancel")]
    Task<DataRightsRequestView> Cancel(RequestActor actor);

    /// <summary>Support or an operator refuses the request with a reason the user sees (legal hold, identity not proven), before its first step.</summary>
    [Alias("reject")]
    Task<DataRightsRequestView> Reject(RequestActor actor, string reason);

    /// <summary>Drops the request's free-text details (the user's account is being cancelled).</summary>
    [Alias("redact")]
    Task Redact();

    /// <summary>
    /// Drops from a closed request's details what a deletion of <paramref name="category"/> erases (a corrected address,
    /// avatar or birth date), and its free-text notes (why it was filed, how the user was verified, why it was approved or
    /// rejected), which may quote it: the user deleted it, and the request kept it. True when there was something to drop.
    /// </summary>
    [Alias("forget-details-of")]
    Task<bool> ForgetDetailsOf(ErasableCategory category);
}
