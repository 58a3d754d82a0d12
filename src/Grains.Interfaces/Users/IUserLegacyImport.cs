namespace MeiLing.Grains.Users;

/// <summary>
/// Moves what an earlier version kept in the user's own state to where it lives now: consent receipts to
/// <c>consent_receipts</c>, notices to the user's inbox, ticket links to <c>user_tickets</c>. A role of the user grain
/// (<see cref="IUserGrain"/>), keyed by user id, asked once per user by the silo's one-off import, and before an
/// export or an erasure reads those places. Idempotent.
/// </summary>
[Alias("meiling.user.legacy-import")]
public interface IUserLegacyImport : IGrainWithStringKey
{
    /// <summary>Moves the earlier version's fields out of the user's state; false when there was nothing left to move.</summary>
    [Alias("import-legacy")]
    Task<bool> ImportLegacy();
}
