using MeiLing.Grains.Notifications;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Privacy.Encryption;

namespace MeiLing.Grains.Users;

/// <summary>Persisted state of a user's inbox: the newest notices the user received. Sealed under the user's key.</summary>
[HoldsPersonalData]
public sealed class UserInboxState : IOwnedByUser
{
    /// <summary>How many notices an inbox keeps; the oldest goes when one more arrives.</summary>
    public const int Kept = 200;

    /// <summary>
    /// How many notices of one kind from one merchant an inbox keeps (its member-card charges): the next replaces that
    /// merchant's oldest of the kind, so one merchant's notices cannot push the user's other notices out of the inbox.
    /// </summary>
    public const int KeptPerMerchantKind = 20;

    [NotPersonalData]
    public string UserId { get; set; } = "";

    [PersonalData(DataCategory.Basic)]
    public List<UserNotification> Notifications { get; set; } = [];

    string? IOwnedByUser.OwnerUserId => UserId.Length == 0 ? null : UserId;

    /// <summary>
    /// Adds a notice unless the same one is already held (a sender that resumes after an interruption sends again):
    /// one per kind, merchant and date for a merchant's notices, one per kind, subject, date and words otherwise.
    /// Keeps the newest <see cref="Kept"/> (a notice of a date still to come before any other), and of one merchant's
    /// notices of one kind the newest <see cref="KeptPerMerchantKind"/>.
    /// False when nothing was added.
    /// </summary>
    public bool Add(string userId, UserNotification notification)
    {
        if (Holds(notification))
        {
            return false;
        }

        UserId = userId;
        if (notification.MerchantId is { } merchantId
            && Notifications.FindAll(notice => notice.MerchantId == merchantId && notice.Kind == notification.Kind) is { Count: >= KeptPerMerchantKind } same)
        {
            // P3.2, P4.3: a merchant's routine notices (a charge per member-card payment) take their own places only, so
            // however many it sends, the notice of its transfer or closing, and everyone else's, stay in the inbox.
            Notifications.Remove(same[0]);
        }

        Notifications.Add(notification);
        if (Notifications.Count > Kept)
        {
            // P3.2, P4.3: a notice of what is still to come (a transfer or a closing before its date, while the user may
            // object or spend their balance) goes last: notices of no merchant (a support agent filing and cancelling
            // requests for the user, two notices a pair) would otherwise push it out before its date.
            var oldestPast = Notifications.FindIndex(notice => notice.EffectiveAt is not { } effective || effective <= notification.At);
            Notifications.RemoveAt(Math.Max(oldestPast, 0));
        }

        return true;
    }

    /// <summary>
    /// Takes in notices kept elsewhere before (an earlier version's user state), each under the same rule as a
    /// delivery, in the order they were received among those already here; the newest <see cref="Kept"/> stay.
    /// </summary>
    public int Import(string userId, IEnumerable<UserNotification> notices)
    {
        var held = Notifications.Count;
        foreach (var notice in notices.Where(notice => !Holds(notice)))
        {
            Notifications.Add(notice);
        }

        var added = Notifications.Count - held;
        if (added > 0)
        {
            UserId = userId;
            // A stable sort: notices of the same instant keep the order they had.
            Notifications = [.. Notifications.OrderBy(notice => notice.At).TakeLast(Kept)];
        }

        return added;
    }

    private bool Holds(UserNotification notification) =>
        Notifications.Exists(notice => notice.Kind == notification.Kind && notice.MerchantId == notification.MerchantId
            && notice.EffectiveAt == notification.EffectiveAt && SameSubject(notice, notification)
            && (notice.MerchantId is not null || notice.Message == notification.Message));

    // A transfer's notice names its transfer since this release (*reviewer*); one delivered by a silo of the release before,
    // named nothing: the same notice of the same merchant and date, not a second one (and a second text) for the walk
    // resumed on a silo of this release.
    private static bool SameSubject(UserNotification held, UserNotification incoming) =>
        held.Subject == incoming.Subject
        || (held.Kind == NoticeKinds.MerchantTransfer && held.Subject is null);
}
