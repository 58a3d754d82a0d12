using MeiLing.Grains.Consents;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Identity;

namespace MeiLing.Grains.Users;

/// <summary>The guardian of a child under 14 (P5.1): confirmation, withdrawal, and the deadline that erases an unconfirmed account. A role of the user grain (<see cref="IUserGrain"/>), keyed by user id.</summary>
[Alias("meiling.user.guardian")]
public interface IUserGuardian : IGrainWithStringKey
{
    /// <summary>
    /// The guardian of a child under 14 confirms with the code texted to the guardian's number: the account leaves
    /// <c>pending-guardian</c> (P5.1). 400 <c>verification-failed</c>; 409 when no confirmation is awaited.
    /// </summary>
    [Alias("confirm-guardian")]
    Task<UserProfile> ConfirmGuardian(string verificationCode);

    /// <summary>As <see cref="ConfirmGuardian"/>, with the code's verification id when its asker has one (P4.4). Added for a rolling upgrade.</summary>
    [Alias("confirm-guardian-with")]
    Task<UserProfile> ConfirmGuardianWith(GuardianCode code);

    /// <summary>
    /// The guardian of a child under 14 withdraws their consent with a <c>guardian-withdrawal</c> code texted to the guardian's
    /// number (a <c>guardian-consent</c> code, sent to be handed on to confirm, does not do): the
    /// child's account is cancelled (the whole P4.1 erasure, P5.1). Returns the cancellation request. Any failure,
    /// an unknown account included, is the same 400 <c>verification-failed</c>, so the route reveals nobody.
    /// </summary>
    [Alias("withdraw-guardian-consent")]
    Task<DataRights.DataRightsRequestView> WithdrawGuardianConsent(string verificationCode);

    /// <summary>As <see cref="WithdrawGuardianConsent"/>, with the code's verification id when its asker has one (P4.4). Added for a rolling upgrade.</summary>
    [Alias("withdraw-guardian-consent-with")]
    Task<DataRights.DataRightsRequestView> WithdrawGuardianConsentWith(GuardianCode code);

    /// <summary>
    /// P5.1: a child's account whose guardian has not confirmed within the allowed days is cancelled (the full
    /// erasure, with a request record kept without personal data); the id of that request, or null when not due.
    /// Called by the account's reminder, and safe to call at any time.
    /// </summary>
    [Alias("enforce-guardian-deadline")]
    Task<string?> EnforceGuardianDeadline();

    /// <summary>
    /// P5.1: whether this account's holder may stand as another child's guardian, asked of the account holding the number
    /// that child named: false for a child's account (under 14 by its birth date, awaiting its own guardian, or one its
    /// guardian still answers for) and for one being cancelled; true for any other, and when there is no account.
    /// Reads a few fields, so it may interleave: asked from within a child's confirmation, and two children naming each
    /// other's numbers would otherwise each wait on the other's turn.
    /// Added in a rolling upgrade: while this account lives on a silo of the previous release the call fails, and the
    /// child's confirmation with it (nothing confirmed); the child confirms again after the roll.
    /// </summary>
    [Alias("may-stand-as-guardian")]
    [AlwaysInterleave]
    Task<bool> MayStandAsGuardian();

    /// <summary>
    /// Texts this child's guardian a <paramref name="purpose"/> code good for this child alone (P5.1), when
    /// <paramref name="normalizedPhone"/> is the guardian's number and the guardian may now confirm
    /// (<c>guardian-consent</c>: the account awaits them) or withdraw (<c>guardian-withdrawal</c>); otherwise sends nothing,
    /// and the caller answers the same, also when the number's allowance for the purpose is spent (nothing sent then either).
    /// </summary>
    [Alias("send-guardian-code")]
    [ReadOnly]
    Task SendGuardianCode(string normalizedPhone, VerificationPurpose purpose);

    /// <summary>
    /// As <see cref="SendGuardianCode"/>, the code issued as <paramref name="verificationId"/> (P4.4), and answered before
    /// anything is texted on either path, so the answer's time does not tell who the guardian is (P5.1). Added beside
    /// <see cref="SendGuardianCode"/> for a rolling upgrade.
    /// </summary>
    [Alias("issue-guardian-code")]
    [ReadOnly]
    Task IssueGuardianCode(string verificationId, string normalizedPhone, VerificationPurpose purpose);
}
