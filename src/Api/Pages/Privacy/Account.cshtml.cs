using System.Text.RegularExpressions;
using MeiLing.Api.Apis;
using MeiLing.Api.Consoles;
using MeiLing.Api.Security;
using MeiLing.Grains.Notifications;
using MeiLing.Grains.Platform;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace MeiLing.Api.Pages.Privacy;

/// <summary>
/// Password change (every other session ends; this one is renewed in its cookie), the member-card protection and
/// notifications, through the API's handlers; a transfer's notice with its Object form (<see cref="TransferObjectionModel"/>).
/// </summary>
[Authorize(Policy = AuthorizationPolicies.User)]
// P4.4 (*reviewer*): each load reads the user's notifications and the policy's versions; at a session's whole rate.
[EnableRateLimiting(RateLimits.HeavyReadsPolicy)]
public sealed partial class AccountModel(IClusterClient cluster, UserSessions sessions, TimeProvider clock) : ConsolePageModel(cluster)
{
    public const int NotificationsShown = 50;

    public IReadOnlyList<NotificationBody> Notifications { get; private set; } = [];

    /// <summary>Whether every member-card payment needs the user's code (<see cref="MemberCardProtectionApi"/>).</summary>
    public bool MemberCodeAlways { get; private set; }

    /// <summary>Whether this session may object now (a recent sign-in, as the objection asks, P4.4); else a link to sign in again.</summary>
    public bool SignedInRecently => RecentSignIn.IsRecent(User);

    /// <summary>
    /// P3.2: the transfer a notice lets the user object to, while their date has not passed (the notice's
    /// <c>effectiveAt</c> is the user's own date); else null. The transfer's grain is the judge: a late objection is
    /// refused there and the refusal shown here. A notice sent before it named its transfer in its subject names it in its
    /// words only.
    /// </summary>
    public string? ObjectableTransferOf(NotificationBody notice)
    {
        if (notice.Kind != NoticeKinds.MerchantTransfer || notice.EffectiveAt is not { } theirDate || theirDate <= clock.GetUtcNow())
        {
            return null;
        }

        var transferId = EntityId.IsWellFormed(notice.Subject, EntityId.TransferPrefix) ? notice.Subject : TransferNamed().Match(notice.Text).Groups[1].Value;
        return EntityId.IsWellFormed(transferId, EntityId.TransferPrefix) ? transferId : null;
    }

    private string UserId => User.SubjectId()!;

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostPasswordAsync([FromForm] string? currentPassword, [FromForm] string? newPassword)
    {
        var change = new ChangePasswordRequest(currentPassword ?? "", newPassword ?? "");
        if (EdgeValidation.Errors(change) is { } invalid)
        {
            Error = invalid;
        }
        else if (await AttemptAsync(() => UsersApi.ChangePassword(UserId, change, User, Cluster, sessions, HttpContext)))
        {
            Notice = "密码已修改。Password changed.";
            return Redirect("/privacy/account");
        }

        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostMemberCardsAsync([FromForm] bool codeAlways)
    {
        if (await AttemptAsync(() => MemberCardProtectionApi.Set(UserId, new MemberCardProtection(codeAlways), User, RecentSignIn, Cluster)))
        {
            Notice = codeAlways
                ? "会员卡每次付款都需要您的验证码。Every member-card payment now needs your code."
                : "仅店员付款需要您的验证码。Only staff payments need your code.";
            return Redirect("/privacy/account");
        }

        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Notifications = ApiAnswer.Of<ItemPage<NotificationBody>>(await UsersApi.GetNotifications(UserId, User, Cluster, NotificationsShown, null)).Value?.Items ?? [];
        MemberCodeAlways = (await MemberCardProtectionApi.Get(UserId, Cluster)).Value?.CodeAlways ?? false;
    }

    // The words TransferGrain's notice ends with.
    [GeneratedRegex(@"\(transfer (trf_[0-9a-z]+)\)\.$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex TransferNamed();
}
