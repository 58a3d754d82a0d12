using MeiLing.Grains.Identity;

namespace MeiLing.Grains.Users;

/// <summary>
/// The front door for accounts: registration and sign-in by phone number. A stateless worker, so it
/// scales with the silos; it never stores a phone number, only addresses the phone index by a keyed hash.
/// </summary>
[Alias("meiling.user-accounts")]
public interface IUserAccountsGrain : IGrainWithIntegerKey
{
    /// <summary>Registers <paramref name="userId"/>; 409 <c>phone-taken</c>, 403 <c>guardian-consent-required</c>.</summary>
    [Alias("register")]
    Task<UserProfile> Register(string userId, RegisterUser command);

    /// <summary>Checks the password; 401 <c>invalid-credentials</c>, 429 <c>too-many-failed-logins</c>.</summary>
    [Alias("sign-in")]
    Task<SignedIn> SignIn(string phone, string password);

    /// <summary>
    /// Texts a one-time code for <paramref name="purpose"/> to the number, registered or not, so the answer
    /// reveals nothing about it; 400 <c>invalid-phone</c>, 400 <c>purpose-not-requestable</c> for confirm-request (texted
    /// only when a request is filed), 429 <c>quota-exceeded</c> beyond the number's allowance for the purpose.
    /// </summary>
    [Alias("send-code")]
    Task SendCode(string phone, VerificationPurpose purpose);

    /// <summary>
    /// As <see cref="SendCode"/>, the code issued as <paramref name="verificationId"/>, which the API hands its asker
    /// (<c>IVerificationCodeGrain.Issue</c>, P4.4). Added beside <see cref="SendCode"/> for a rolling upgrade.
    /// </summary>
    [Alias("issue-code")]
    Task IssueCode(string verificationId, string phone, VerificationPurpose purpose);

    /// <summary>
    /// As <see cref="IssueCode"/>, counted also in the share of the number's sends its asking network may spend
    /// (<c>IVerificationCodeGrain.IssueAsked</c>, P4.4). Added beside <see cref="IssueCode"/> for a rolling upgrade.
    /// </summary>
    [Alias("ask-code")]
    Task AskCode(CodeAsked asked);

    /// <summary>
    /// As <see cref="SendCode"/>, for a guardian's code naming the child it is for (P5.1): texted, scoped to that child, only
    /// when the child's guardian is this number and the purpose applies to the account now; otherwise nothing is sent and
    /// the answer is the same. 400 <c>purpose-not-for-a-child</c> for a purpose other than <c>guardian-consent</c> and
    /// <c>guardian-withdrawal</c>.
    /// </summary>
    [Alias("send-guardian-code")]
    Task SendGuardianCode(string phone, VerificationPurpose purpose, string childUserId);

    /// <summary>
    /// As <see cref="SendGuardianCode"/>, the code issued as <paramref name="verificationId"/>. Answered before the code is
    /// texted, on either path, so its time tells nobody whether the number is the child's guardian's (P5.1).
    /// </summary>
    [Alias("issue-guardian-code")]
    Task IssueGuardianCode(string verificationId, string phone, VerificationPurpose purpose, string childUserId);

    /// <summary>
    /// Sets a new password with a <c>reset-password</c> code: every session ends and the failed-sign-in lock
    /// lifts. 400 <c>verification-failed</c> or <c>weak-password</c>.
    /// </summary>
    [Alias("reset-password")]
    Task ResetPassword(string phone, string verificationCode, string newPassword);

    /// <summary>
    /// As <see cref="ResetPassword"/>, with the code's verification id when its asker has one (that code has attempts of its own,
    /// which guesses without the id cannot burn, P4.4), and, when <see cref="PasswordReset.SignIn"/>, the session the new password opens: a
    /// stranger who keeps the number's sign-ins locked with wrong passwords cannot keep its owner out. Null when no
    /// session was asked for or the number holds no account that may sign in.
    /// </summary>
    [Alias("reset-password-with")]
    Task<SignedIn?> ResetPasswordWith(PasswordReset reset);

    /// <summary>
    /// The user holding the number, through the phone index (support's look-up by phone, audited by its
    /// caller, P1.7); null when the number is malformed or held by nobody.
    /// </summary>
    [Alias("find-by-phone")]
    Task<string?> FindByPhone(string phone);

    /// <summary>
    /// As <see cref="FindByPhone"/>, for a support agent: the look-up is first counted against the agent's daily
    /// allowance (<c>IStaffGrain.TakePhoneLookupCountingMiss</c>, P1.7, P4.4), so one support key cannot learn which numbers are
    /// registered at volume; past it 429 <c>quota-exceeded</c> and the index is not asked.
    /// </summary>
    [Alias("find-by-phone-for-support")]
    Task<string?> FindByPhoneForSupport(string phone, string staffId);
}
