using MeiLing.Grains.Merchants;

namespace MeiLing.Grains.Access;

/// <summary>
/// P4.3: a closing merchant's keys, its own and its staff's, end on its closing date, not when its erasure walk finishes
/// (which a large or stalled merchant may take long over): after that day its customers' data is to be erased, and no
/// key of the merchant reads it, takes payments or enrols anyone. The merchant keeps no list of every key to revoke by,
/// so a key is refused wherever it is resolved once its merchant is past the date.
/// </summary>
internal static class ClosedMerchantKeys
{
    public static bool NeedsItsMerchant(ApiKeyGrant grant) => grant.Role == CallerRole.Merchant;

    public static bool EndedWith(MerchantView? merchant, DateTimeOffset now) =>
        merchant is not null
        && (merchant.Status == MerchantStatus.Terminated
            || (merchant.Status == MerchantStatus.Terminating && now >= merchant.TerminationEffectiveAt));
}
