using MeiLing.Grains.Notifications;

namespace MeiLing.Grains.Users;

/// <summary>
/// A user's inbox, keyed by user id: the notices the user has received (<see cref="IUserNotifications"/>), kept in a
/// state of its own (sealed under the user's key, like every state that holds their data), and what the data rights
/// do with them: export, erasure, and taking over the notices an earlier version kept in the user's own state.
/// </summary>
[Alias("meiling.user-inbox")]
public interface IUserInboxGrain : IUserNotifications
{
    /// <summary>Adds notices an earlier version kept in the user's state, with the same dedup and cap as a delivery; returns how many were added.</summary>
    [Alias("import")]
    Task<int> Import(IReadOnlyList<UserNotification> notices);

    /// <summary>The inbox's tagged fields for the access bundle, as JSON.</summary>
    [Alias("export-personal-data")]
    [ReadOnly]
    Task<string> ExportPersonalData();

    /// <summary>Erases every notice (cancellation, P4.1); returns how many there were.</summary>
    [Alias("erase")]
    Task<int> Erase();
}
