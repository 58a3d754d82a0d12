using MeiLing.Grains.Consents;
using MeiLing.Grains.Notifications;

namespace MeiLing.Grains.Users;

/// <summary>
/// The notices a user receives in the app (and by text). Served by the user's inbox (<see cref="IUserInboxGrain"/>),
/// keyed by user id, not by the user grain: notices come from merchants, transfers and requests, not from the owner.
/// </summary>
[Alias("meiling.user.notifications")]
public interface IUserNotifications : IGrainWithStringKey
{
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
}
