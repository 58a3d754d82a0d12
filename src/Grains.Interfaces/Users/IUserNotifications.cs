using MeiLing.Grains.Consents;
using MeiLing.Grains.Notifications;

namespace MeiLing.Grains.Users;

/// <summary>The notices a user receives in the app (and by text). A role of the user grain (<see cref="IUserGrain"/>), keyed by user id.</summary>
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
