namespace MeiLing.Grains.Platform;

/// <summary>
/// Marks the call that creates a grain under an id the caller has just minted with
/// <see cref="EntityId.New"/> (130 random bits, never handed out before), so the grain's activation can
/// skip the storage read that would only find nothing. Carried in the Orleans request context, which
/// the runtime imports before it loads the activation's state; any other activation reads as usual.
/// </summary>
public static class MintedGrainId
{
    private const string Key = "meiling-minted";

    /// <summary>Marks <paramref name="id"/> as fresh for the calls made until the returned scope ends.</summary>
    public static Scope Mark(string id)
    {
        RequestContext.Set(Key, id);
        return default;
    }

    /// <summary>True when the call in hand minted <paramref name="id"/>.</summary>
    public static bool IsMarked(string id) => RequestContext.Get(Key) is string minted && minted == id;

    /// <summary>Ends the mark, so no later call in the same async flow carries it.</summary>
    public readonly struct Scope : IDisposable
    {
        public void Dispose() => RequestContext.Remove(Key);
    }
}
