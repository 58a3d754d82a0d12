using MeiLing.Grains.Notifications;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Policies;
using MeiLing.Grains.Privacy;

namespace MeiLing.Grains.Users;

/// <summary>
/// A user's notices, apart from the user grain: they are written by merchants, transfers, legal hand-overs and
/// requests, so they need not wait on (or be written with) the owner's profile, consents and sessions. The owner
/// is asked only whether it exists and which policy version it accepted (<see cref="IUserNoticeOwner"/>).
/// </summary>
internal sealed class UserInboxGrain(
    [PersistentState("inbox", StorageNames.Default)] IPersistentState<UserInboxState> state) : Grain, IUserInboxGrain
{
    private string UserId => this.GetPrimaryKeyString();

    private IUserNoticeOwner Owner => GrainFactory.GetGrain<IUserNoticeOwner>(UserId);

    async Task<IReadOnlyList<UserNotification>> IUserNotifications.GetNotifications()
    {
        var acceptedIndex = await Owner.GetAcceptedPolicyIndex() ?? throw DomainException.NotFound("user-not-found", "No such user.");
        // P6.1: users are told of new versions when they look, not by writing a notice into every user at publication.
        var versions = await GrainFactory.GetGrain<IPrivacyPolicyGrain>(IPrivacyPolicyGrain.PlatformPolicyKey).GetVersions();
        var newer = versions
            .Select((version, index) => (version, index))
            .Where(published => published.index > acceptedIndex)
            .Select(published => new UserNotification(
                NoticeKinds.PolicyVersion,
                published.version.ReducesRights
                    ? $"Privacy policy version {published.version.Version} reduces your rights: {published.version.Summary} Nothing more of yours is processed until you accept it (any consent change naming it)."
                    : $"Privacy policy version {published.version.Version} is published: {published.version.Summary}",
                null, published.version.PublishedAt, published.version.PublishedAt, published.version.Version,
                $"pol_{published.version.Version}"));
        return [.. state.State.Notifications
            .Select(notice => notice.NotificationId is null
                ? notice with { NotificationId = $"{EntityId.NotificationPrefix}_{notice.At.ToUnixTimeMilliseconds()}" }
                : notice)
            .Concat(newer)
            .OrderByDescending(notice => notice.At)];
    }

    async Task IUserNotifications.Notify(UserNotification notification) => await DeliverAsync(notification);

    async Task IUserNotifications.NotifyBySms(UserNotification notification)
    {
        if (await DeliverAsync(notification))
        {
            await Owner.TextNotice(notification.Message);
        }
    }

    async Task<int> IUserInboxGrain.Import(IReadOnlyList<UserNotification> notices)
    {
        var added = state.State.Import(UserId, notices);
        if (added > 0)
        {
            await WriteOrForgetAsync();
        }

        return added;
    }

    Task<string> IUserInboxGrain.ExportPersonalData() => Task.FromResult(PersonalDataExporter.Export(state.State).ToJsonString());

    async Task<int> IUserInboxGrain.Erase()
    {
        var erased = state.State.Notifications.Count;
        if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }

        return erased;
    }

    // Only to a user that exists: a notice sent after an account was deleted would otherwise be kept under a key
    // that no longer exists, for nobody.
    private async Task<bool> DeliverAsync(UserNotification notification)
    {
        if (await Owner.GetAcceptedPolicyIndex() is null
            || !state.State.Add(UserId, notification with { NotificationId = notification.NotificationId ?? EntityId.New(EntityId.NotificationPrefix) }))
        {
            return false;
        }

        await WriteOrForgetAsync();
        return true;
    }

    // A notice whose write failed is forgotten with it (P3.2, P4.3, *reviewer*): kept in memory, the inbox showed it though
    // storage never held it, and the sender's retry found it "already held", so it was neither written nor texted.
    private Task WriteOrForgetAsync() => state.WriteOrForgetAsync(this);
}
