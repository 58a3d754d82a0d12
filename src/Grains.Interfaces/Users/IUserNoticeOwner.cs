namespace MeiLing.Grains.Users;

/// <summary>
/// What the user's inbox (<see cref="IUserInboxGrain"/>) needs of its owner. A role of the user grain
/// (<see cref="IUserGrain"/>), keyed by user id. Neither call waits on the user grain's turn: the user grain itself
/// delivers notices to the inbox, and an inbox waiting on a user that waits on it would stall both.
/// </summary>
[Alias("meiling.user.notice-owner")]
public interface IUserNoticeOwner : IGrainWithStringKey
{
    /// <summary>
    /// The index of the policy version the user accepted, for the P6.1 notices of newer versions; null when there is no
    /// such user (never registered, or deleted), who receives no notices. Reads one number, so it may interleave.
    /// </summary>
    [Alias("accepted-policy-index")]
    [AlwaysInterleave]
    Task<int?> GetAcceptedPolicyIndex();

    /// <summary>Texts a notice already kept in the inbox to the user's number; a text that fails is logged, never retried.</summary>
    [Alias("text-notice")]
    [OneWay]
    Task TextNotice(string text);

    /// <summary>
    /// Texts <paramref name="text"/> to the user's number and answers once it is sent; a text the sender refuses fails the
    /// call, for a caller that retries (a follow-up code no answer carried). Nothing is sent for an account that is gone.
    /// </summary>
    [Alias("text-or-fail")]
    Task TextOrFail(string text);
}
