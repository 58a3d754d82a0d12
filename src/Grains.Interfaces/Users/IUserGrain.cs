using MeiLing.Grains.Consents;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Identity;
using MeiLing.Grains.Notifications;

namespace MeiLing.Grains.Users;

/// <summary>
/// A user, keyed by user id (<c>usr_…</c>): the single owner of the user's profile, consents and
/// sessions. Every flow that touches the user's personal data asks this grain, in the same call,
/// whether it may (<see cref="AuthorizeProcessing"/>).
/// </summary>
[Alias("meiling.user")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Creates the user; called by <see cref="IUserAccountsGrain"/> once the phone is claimed.</summary>
    [Alias("create")]
    Task<UserProfile> Create(NewUser user);

    /// <summary>The profile, or null when there is no such user (or the account is cancelled).</summary>
    [Alias("profile")]
    [ReadOnly]
    Task<UserProfile?> GetProfile();

    /// <summary>Corrects profile fields (a data right, open even before a new policy is accepted).</summary>
    [Alias("correct-profile")]
    Task<UserProfile> CorrectProfile(ProfileCorrection correction);

    /// <summary>Verifies the password; the session generation on success, null otherwise.</summary>
    [Alias("verify-password")]
    Task<int?> VerifyPassword(string password);

    /// <summary>Whether a token of this session generation is still good.</summary>
    [Alias("is-session-current")]
    [ReadOnly]
    Task<bool> IsSessionCurrent(int generation);

    /// <summary>Ends every session of the user at once.</summary>
    [Alias("revoke-sessions")]
    Task RevokeSessions();

    /// <summary>
    /// Changes the password with the current one (P4.4): every session ends, and the new generation is returned
    /// so the caller's own session can be issued again. 400 <c>wrong-password</c> or <c>weak-password</c>.
    /// </summary>
    [Alias("change-password")]
    Task<SignedIn> ChangePassword(string currentPassword, string newPassword);

    /// <summary>Sets a new password whose owner proved the number with a code: every session ends; the user is told.</summary>
    [Alias("reset-password")]
    Task ResetPassword(string passwordHash);


    /// <summary>Whether <paramref name="code"/> is the live code texted to the user's own number for <paramref name="purpose"/>.</summary>
    [Alias("check-code")]
    Task<bool> CheckVerificationCode(VerificationPurpose purpose, string code, string? scope = null);

    /// <summary>
    /// The guardian of a child under 14 confirms with the code texted to the guardian's number: the account leaves
    /// <c>pending-guardian</c> (P5.1). 400 <c>verification-failed</c>; 409 when no confirmation is awaited.
    /// </summary>
    [Alias("confirm-guardian")]
    Task<UserProfile> ConfirmGuardian(string verificationCode);

    /// <summary>
    /// The guardian of a child under 14 withdraws their consent with a code texted to the guardian's number: the
    /// child's account is cancelled (the whole P4.1 erasure, P5.1). Returns the cancellation request. Any failure,
    /// an unknown account included, is the same 400 <c>verification-failed</c>, so the route reveals nobody.
    /// </summary>
    [Alias("withdraw-guardian-consent")]
    Task<DataRights.DataRightsRequestView> WithdrawGuardianConsent(string verificationCode);

    /// <summary>
    /// P5.1: a child's account whose guardian has not confirmed within the allowed days is cancelled (the full
    /// erasure, with a request record kept without personal data); the id of that request, or null when not due.
    /// Called by the account's reminder, and safe to call at any time.
    /// </summary>
    [Alias("enforce-guardian-deadline")]
    Task<string?> EnforceGuardianDeadline();

    /// <summary>Records a consent change and returns its receipt; a withdrawal takes effect in this call.</summary>
    [Alias("set-consent")]
    Task<ConsentReceipt> SetConsent(ConsentChange change);

    /// <summary>The current state of every purpose.</summary>
    [Alias("consents")]
    [ReadOnly]
    Task<IReadOnlyList<ConsentStatus>> GetConsents();

    /// <summary>Every consent change, oldest first.</summary>
    [Alias("consent-history")]
    [ReadOnly]
    Task<IReadOnlyList<ConsentReceipt>> GetConsentHistory();

    /// <summary>
    /// The one gate: may this processing of the user's data happen now? Returns its lawful basis
    /// (P1.10); 403 <c>consent-required</c> or <c>policy-consent-required</c> otherwise, and 400
    /// <c>region-mismatch</c> when the request names a region that is not the user's (P4.2).
    /// </summary>
    [Alias("authorize-processing")]
    Task<ProcessingBasis> AuthorizeProcessing(ProcessingRequest request);

    /// <summary>Stores a location sample; only while <c>location</c> is granted (P1.2).</summary>
    [Alias("record-location")]
    Task RecordLocation(LocationSample sample);

    /// <summary>
    /// The disclosure gate (P3.1): checks the hand-over's basis now, refuses it without one (and always
    /// for advertising and analytics partners, who get only de-identified aggregates), and records it.
    /// </summary>
    [Alias("disclose")]
    Task<DisclosureRecord> Disclose(DisclosureRequest request);

    /// <summary>Every hand-over of the user's data, newest first.</summary>
    [Alias("disclosures")]
    Task<IReadOnlyList<DisclosureRecord>> GetDisclosures();

    /// <summary>Stores addresses from a third party with their provenance; needs <c>third-party-sources</c> (P1.8).</summary>
    [Alias("import-addresses")]
    Task<IReadOnlyList<SavedAddress>> ImportAddresses(ImportAddresses import);

    [Alias("addresses")]
    [ReadOnly]
    Task<IReadOnlyList<SavedAddress>> GetAddresses();

    /// <summary>Links a support ticket to the user.</summary>
    [Alias("attach-ticket")]
    Task AttachTicket(string ticketId);

    [Alias("tickets")]
    [ReadOnly]
    Task<IReadOnlyList<string>> GetTicketIds();

    /// <summary>
    /// Files a data-rights request; 409 <c>duplicate-request</c> naming the open one when a request of the
    /// same type is still open.
    /// </summary>
    [Alias("file-request")]
    Task<DataRightsRequestView> FileRequest(FileDataRightsRequest request);

    /// <summary>Called by a request when it ends, so another of its type may be filed.</summary>
    [Alias("request-closed")]
    Task RequestClosed(DataRightsRequestType type, string requestId);

    /// <summary>Erases one category of the user's data, keeping the account; returns how many items went.</summary>
    [Alias("erase-category")]
    Task<int> EraseCategory(ErasableCategory category);

    /// <summary>
    /// The notices the user has received, newest first, with every published policy version newer than the one
    /// the user accepted (P6.1: told lazily, never fanned out to every user at publication).
    /// </summary>
    [Alias("notifications")]
    [ReadOnly]
    Task<IReadOnlyList<UserNotification>> GetNotifications();

    /// <summary>Delivers a notice to the user.</summary>
    [Alias("notify")]
    Task Notify(UserNotification notification);

    /// <summary>Delivers a notice to the user and texts it to their number too.</summary>
    [Alias("notify-by-sms")]
    Task NotifyBySms(UserNotification notification);

    /// <summary>
    /// The steps of account cancellation (P4.1) that belong to the user grain, each idempotent: closing
    /// the account (no more sessions or processing), then finally deleting the user's own state.
    /// </summary>
    [Alias("close-account")]
    Task<AccountInventory> CloseAccount();

    [Alias("delete-account")]
    Task<int> DeleteAccount();

    /// <summary>Every tagged personal field the user grain holds, as JSON, driven by the data-category tags.</summary>
    [Alias("export-personal-data")]
    [ReadOnly]
    Task<string> ExportPersonalData();

    /// <summary>The location samples held, newest first.</summary>
    [Alias("locations")]
    [ReadOnly]
    Task<IReadOnlyList<LocationSample>> GetLocations();
}
