namespace MeiLing.Api.Security;

/// <summary>
/// Hashes of well-shaped keys the cluster just answered "unknown" for, remembered briefly so that a key
/// sprayed from many addresses costs one grain lookup a minute, not one per request (P4.4). Only
/// misses are remembered: a revoked key is never served from here, and keys are 256 random bits, so
/// a key cannot be issued after it was presented unknown. The size bound holds memory whatever the flood.
/// </summary>
public sealed class UnknownApiKeys() : RememberedBriefly(Capacity, Lifetime)
{
    /// <summary>How many misses are remembered at most; beyond it, new misses are simply not remembered.</summary>
    public const int Capacity = 10_000;

    /// <summary>How long a miss is remembered.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
}
