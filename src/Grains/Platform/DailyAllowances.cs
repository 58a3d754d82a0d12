namespace MeiLing.Grains.Platform;

/// <summary>Taking from a party's day of something (<see cref="IDailyAllowanceGrain"/>), for kinds a release adds.</summary>
internal static class DailyAllowances
{
    /// <summary>
    /// Takes one use, as <see cref="IDailyAllowanceGrain.Take"/> does. While a cluster rolls, the allowance grain may live
    /// on a silo of the previous release, which knows no such kind: the act goes on uncounted rather than refused, as
    /// before the allowance, until the roll ends.
    /// </summary>
    public static async Task TakeWhereKnownAsync(this IGrainFactory grains, DailyAllowanceKind kind, string owner)
    {
        try
        {
            await grains.GetGrain<IDailyAllowanceGrain>(IDailyAllowanceGrain.KeyOf(kind, owner)).Take();
        }
        catch (DomainException unknown) when (unknown.Code == DailyAllowanceGrain.UnknownKind)
        {
        }
    }
}
