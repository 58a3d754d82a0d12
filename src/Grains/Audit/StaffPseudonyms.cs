using MeiLing.Grains.Privacy.Encryption;

namespace MeiLing.Grains.Audit;

/// <summary>
/// How a member of staff is named to a user (P1.7): by a pseudonym keyed by the user's own data key, so nobody can compute
/// it (the user cannot test a staff id against it), it differs for every user (no one follows an agent across users), and
/// it goes when the user's key is shredded (P4.1). The access log and the user's tickets name an agent alike, so the user
/// sees that the one who answered is the one who looked.
/// </summary>
internal static class StaffPseudonyms
{
    public static async Task<string?> OfAsync(UserDataKeys keys, string userId, string staffId) =>
        await keys.PseudonymAsync(userId, $"access-log-actor/{staffId}") is { } pseudonym
            ? "staff_" + pseudonym["psn_".Length..][..16]
            : null;
}
