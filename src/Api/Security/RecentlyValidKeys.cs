namespace MeiLing.Api.Security;

/// <summary>
/// Hashes of keys this host resolved as valid lately: an address that spent its failed authentications has no further key
/// looked up (P4.4), but a key among these still goes through, so a till behind one NAT address with a guesser keeps working.
/// Only a shortcut past the failure limit: a key found here is still resolved, so a revocation acts at once.
/// </summary>
public sealed class RecentlyValidKeys() : RememberedBriefly(Capacity, Lifetime, slidingOnUse: true)
{
    /// <summary>How many keys are remembered at most; beyond it, newly valid keys are simply not remembered.</summary>
    public const int Capacity = 10_000;

    /// <summary>
    /// How long a valid key is remembered after it was last used here (*reviewer*: remembered from its first use only, a till
    /// at work all day dropped out after ten minutes and met a guesser's spent address like any stranger).
    /// </summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
}
