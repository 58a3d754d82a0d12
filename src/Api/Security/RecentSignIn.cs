using System.Globalization;
using System.Security.Claims;
using MeiLing.Grains;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MeiLing.Api.Security;

/// <summary>
/// P4.4: what a session token alone must not do. A token lives for <c>MEILING_SESSION_MINUTES</c> (12 hours), in a
/// browser's cookie or an app's storage, so whoever copies one, or picks up a phone left signed in, holds it as long:
/// closing the account, erasing data for good or turning off the member-card code then needs a sign-in of the last
/// <c>MEILING_RECENT_SIGN_IN_MINUTES</c> (15), as a retail app asks for the password again before it closes an account.
/// The sign-in time is the token's own <c>iat</c>, signed with the platform's key when the user proved their password
/// (signing in, or changing the password), never a value the caller sends.
/// </summary>
public sealed class RecentSignIn(ApiSettings settings, TimeProvider clock)
{
    /// <summary>The problem's code (its type ends in it): sign in again (<c>POST /v1/sessions</c>) and send it again.</summary>
    public const string RequiredCode = "recent-sign-in-required";

    public TimeSpan Window => TimeSpan.FromMinutes(settings.RecentSignInMinutes);

    /// <summary>Whether <paramref name="caller"/>'s session began within <see cref="Window"/>; a token without a sign-in time never did.</summary>
    public bool IsRecent(ClaimsPrincipal caller) =>
        long.TryParse(caller.FindFirstValue(JwtRegisteredClaimNames.Iat), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
        && clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds) <= Window;

    /// <summary>
    /// 403 <c>recent-sign-in-required</c> unless <paramref name="caller"/> signed in within <see cref="Window"/>;
    /// <paramref name="what"/> names the action in the answer.
    /// </summary>
    public void Ensure(ClaimsPrincipal caller, string what)
    {
        if (!IsRecent(caller))
        {
            throw DomainException.Forbidden(RequiredCode,
                $"{what} needs a recent sign-in: sign in again (POST /v1/sessions) and send it within {settings.RecentSignInMinutes} minutes. "
                + "请重新登录后再操作。");
        }
    }
}
