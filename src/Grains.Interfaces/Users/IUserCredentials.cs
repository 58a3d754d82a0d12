using MeiLing.Grains.Consents;
using MeiLing.Grains.Identity;

namespace MeiLing.Grains.Users;

/// <summary>A user's password, sessions and texted codes: who may act as the user. A role of the user grain (<see cref="IUserGrain"/>), keyed by user id.</summary>
[Alias("meiling.user.credentials")]
public interface IUserCredentials : IGrainWithStringKey
{
    /// <summary>Verifies the password; the session generation on success, null otherwise.</summary>
    [Alias("verify-password")]
    Task<int?> VerifyPassword(string password);

    /// <summary>Whether a token of this session generation is still good.</summary>
    [Alias("is-session-current")]
    [ReadOnly]
    Task<bool> IsSessionCurrent(int generation);

    /// <summary>
    /// Whether a token of this session generation and session id is still good: neither every session of the user
    /// nor this one alone was ended. A null id (a token issued before sessions had one) is asked as
    /// <see cref="IsSessionCurrent"/> asks.
    /// </summary>
    [Alias("is-session-open")]
    [ReadOnly]
    Task<bool> IsSessionOpen(int generation, string? sessionId);

    /// <summary>Ends every session of the user at once.</summary>
    [Alias("revoke-sessions")]
    Task RevokeSessions();

    /// <summary>
    /// Ends the one session of this generation and id (sign out), leaving the user's others open (P4.4). The grain
    /// remembers it until <paramref name="expiresAt"/>, when its tokens expire anyway; if it already remembers as many
    /// ended sessions as it keeps, every session ends instead.
    /// </summary>
    [Alias("end-session")]
    Task EndSession(int generation, string sessionId, DateTimeOffset expiresAt);

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
    /// Texts the user's own number a <see cref="VerificationPurpose.MemberCardPayment"/> code good for <paramref name="scope"/>
    /// alone (<see cref="MemberCodes.Scope"/>: one order and amount), which the user tells the till if they agree.
    /// </summary>
    [Alias("send-member-code")]
    Task SendMemberCode(string scope);

    /// <summary>
    /// As <see cref="SendMemberCode"/>, asked by the till of <paramref name="merchantId"/>: counted in that merchant's own
    /// allowance of texts to the user (5 in 15 minutes, 10 a day), so one shop asking without end does not keep every other
    /// shop's till from the member's code. Added beside <see cref="SendMemberCode"/> for a rolling upgrade.
    /// </summary>
    [Alias("send-member-code-for-merchant")]
    Task SendMemberCodeForMerchant(string merchantId, string scope);

    /// <summary>
    /// Whether <paramref name="code"/> is the live member code for <paramref name="scope"/>, leaving it live: the draw it
    /// stands for is made after the check, and only a draw made spends it (<see cref="SpendMemberCode"/>).
    /// </summary>
    [Alias("matches-member-code")]
    Task<bool> MatchesMemberCode(string code, string scope);

    /// <summary>
    /// As <see cref="MatchesMemberCode"/>, asked by the till of <paramref name="merchantId"/>: its wrong codes at this member's
    /// codes count together across orders and amounts, 10 a day (P1.6), then 429 <c>quota-exceeded</c>. Added beside
    /// <see cref="MatchesMemberCode"/> for a rolling upgrade.
    /// </summary>
    [Alias("matches-member-code-for-merchant")]
    Task<bool> MatchesMemberCodeForMerchant(string merchantId, string code, string scope);

    /// <summary>Uses up the member code for <paramref name="scope"/>, once the draw it stood for is made.</summary>
    [Alias("spend-member-code")]
    Task SpendMemberCode(string scope);

    /// <summary>
    /// The user's choice that every member-card payment at any merchant, the merchant's own key's included, needs their
    /// code (staff keys always do); true by their own choice only.
    /// </summary>
    [Alias("requires-member-code")]
    [ReadOnly]
    Task<bool> RequiresMemberCode();

    /// <summary>Sets the user's choice of <see cref="RequiresMemberCode"/>; the answer is the choice now held.</summary>
    [Alias("require-member-code")]
    Task<bool> RequireMemberCode(bool always);
}
