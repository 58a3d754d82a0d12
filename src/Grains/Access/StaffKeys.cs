using MeiLing.Grains.Merchants;

namespace MeiLing.Grains.Access;

/// <summary>
/// P4.3: a closed merchant's staff keys end with it, as its own key does. The merchant keeps no list of its staff
/// to revoke their keys by, so a staff key is refused wherever it is resolved once its merchant is terminated.
/// </summary>
internal static class StaffKeys
{
    public static bool NeedsItsMerchant(ApiKeyGrant grant) => grant is { Role: CallerRole.Merchant, StaffId: not null };

    public static bool EndedWith(MerchantView? merchant) => merchant is { Status: MerchantStatus.Terminated };
}
