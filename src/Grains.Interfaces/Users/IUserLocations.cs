using MeiLing.Grains.Consents;

namespace MeiLing.Grains.Users;

/// <summary>A user's location samples, collected only while <c>location</c> is granted (P1.2). A role of the user grain (<see cref="IUserGrain"/>), keyed by user id.</summary>
[Alias("meiling.user.locations")]
public interface IUserLocations : IGrainWithStringKey
{
    /// <summary>Stores a location sample; only while <c>location</c> is granted (P1.2).</summary>
    [Alias("record-location")]
    Task RecordLocation(LocationSample sample);

    /// <summary>The newest 1,000 location samples held, newest first (what API hosts of the previous version ask).</summary>
    [Alias("locations")]
    [ReadOnly]
    Task<IReadOnlyList<LocationSample>> GetLocations();

    /// <summary>
    /// A page of the location samples held, newest first: at most <paramref name="limit"/> (1 to 1,000), those taken
    /// before <paramref name="before"/> when given. Every sample is on some page: the list never stops at a count (P1.2, P8.1).
    /// </summary>
    [Alias("locations-page")]
    [ReadOnly]
    Task<LocationPage> GetLocationPage(DateTimeOffset? before, int limit);
}
