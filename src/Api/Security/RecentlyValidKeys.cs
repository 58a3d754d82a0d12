namespace MeiLing.Api.Security;

/// <summary>
/// Hashes of keys this host resolved as valid lately: an address that spent its failed authentications has no further key
/// looked up (P4.4), but a key among these still goes through, so a till behind one NAT address with a guesser keeps working.
/// Only a shortcut past the failure limit: a key found here is still resolved, so a revocation acts at once.
/// </summary>
public sealed class RecentlyValidKeys() : RememberedBriefly(Capacity, Lifetime)
{
    /// <summary>How many keys are remembered at most; beyond it, newly valid keys are simply not remembered.</summary>
    public const int Capacity = 10_000;

    /// <summary>How long a valid key is remembered after it was last remembered.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
}
