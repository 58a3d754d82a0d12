using MeiLing.Api.Apis;
using MeiLing.Api.Consoles;
using MeiLing.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace MeiLing.Api.Pages.Privacy;

/// <summary>
/// Password change (every other session ends; this one is renewed in its cookie), the member-card protection and
/// notifications, through the API's handlers.
/// </summary>
[Authorize(Policy = AuthorizationPolicies.User)]
// P4.4 (*reviewer*): each load reads the user's notifications and the policy's versions; at a session's whole rate.
[EnableRateLimiting(RateLimits.HeavyReadsPolicy)]
public sealed class AccountModel(IClusterClient cluster, UserSessions sessions) : ConsolePageModel(cluster)
{
    public const int NotificationsShown = 50;

    public IReadOnlyList<NotificationBody> Notifications { get; private set; } = [];

    /// <summary>Whether every member-card payment needs the user's code (<see cref="MemberCardProtectionApi"/>).</summary>
    public bool MemberCodeAlways { get; private set; }

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
}
