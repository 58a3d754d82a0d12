namespace MeiLing.Grains.Notifications;

/// <summary>
/// A notice to a user: a merchant they used is closing (P4.3), a request's status changed (P8.1), their guardian
/// confirmed (P5.1), their password changed, a new policy version (P6.1), a transfer of a merchant's business (P3.2).
/// <see cref="Subject"/> names what it is about (a request id, a policy version, a transfer id);
/// <see cref="NotificationId"/> is given when it is delivered.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.user-notification")]
public sealed record UserNotification(
    [property: Id(0)] string Kind,
    [property: Id(1)] string Message,
    [property: Id(2)] string? MerchantId,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] DateTimeOffset? EffectiveAt,
    [property: Id(5)] string? Subject = null,
    [property: Id(6)] string? NotificationId = null);

/// <summary>The kinds of notice the platform sends, and the words of the ones several grains send.</summary>
public static class NoticeKinds
{
    public const string RequestStatus = "request-status";
    public const string GuardianConfirmed = "guardian-confirmed";
    public const string PasswordChanged = "password-changed";
    public const string PasswordReset = "password-reset";
    public const string PolicyVersion = "policy-version";
    public const string MemberCardCharged = "member-card-charged";

    /// <summary>P3.2: a merchant's business moves to a successor; the notice's subject is the transfer, objected to by its id.</summary>
    public const string MerchantTransfer = "merchant-transfer";

    /// <summary>
    /// P8.1: a request's new status, about the request; the same status of the same request is one notice. A rejection's
    /// reason is read on the request, where a deletion can erase it (P4.1), not copied here.
    /// </summary>
    public static UserNotification RequestStatusChanged(string requestId, string type, string status, DateTimeOffset at) =>
        new(RequestStatus,
            $"Your {type} request {requestId} is now {status}." + (status == "rejected" ? " Why is on the request." : ""),
            null, at, null, requestId);

    /// <summary>
    /// P8.1: the text that gives the user a cancellation's follow-up code, sent while the account still has its number
    /// and never kept in the inbox (which the cancellation erases).
    /// </summary>
    public static string CancellationFollowUpText(string requestId, string code) =>
        $"Your cancellation {requestId} has started. After your account is gone, follow it, and see which recipients of your data confirmed erasing it, with the code {code} (POST /v1/requests/{requestId}/follow-up).";
}
