namespace MeiLing.Grains.Users;

/// <summary>
/// What a sign-out, a sign-out everywhere or an account's closing left in the user grain's memory when its write failed
/// (P4.4, P4.1): they fail closed, so the old token stops at once, but memory alone forgot them as the activation left,
/// or as a later failed write read the state back, and a copied token worked again. Kept in memory until a write of the
/// state stores it, put back onto any state read from storage meanwhile, and written as the activation leaves.
/// </summary>
internal sealed class UnsavedClosing
{
    private UnsavedClosing(int sessionGeneration, IReadOnlyDictionary<string, DateTimeOffset> endedSessions, bool closing)
    {
        SessionGeneration = sessionGeneration;
        EndedSessions = endedSessions;
        Closing = closing;
    }

    /// <summary>The generation memory had reached: every token of an earlier one had ended.</summary>
    public int SessionGeneration { get; }

    /// <summary>The sessions of that generation memory had ended one at a time, each until its tokens expire.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> EndedSessions { get; }

    /// <summary>Whether the account's cancellation had begun.</summary>
    public bool Closing { get; }

    /// <summary>A copy of what <paramref name="user"/> holds now of its sessions and its closing.</summary>
    public static UnsavedClosing Of(UserState user) =>
        new(user.SessionGeneration, new Dictionary<string, DateTimeOffset>(user.EndedSessions.Until, StringComparer.Ordinal), user.Closing);
}
