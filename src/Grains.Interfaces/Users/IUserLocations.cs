using MeiLing.Grains.Consents;

namespace MeiLing.Grains.Users;

/// <summary>A user's location samples, collected only while <c>location</c> is granted (P1.2). A role of the user grain (<see cref="IUserGrain"/>), keyed by user id.</summary>
[Alias("meiling.user.locations")]
public interface IUserLocations : IGrainWithStringKey
{
    /// <summary>Stores a location sample; only while <c>location</c> is granted (P1.2).</summary>
    [Alias("record-location")]
    Task RecordLocation(LocationSample sample);

    /// <summary>The location samples held, newest first.</summary>
    [Alias("locations")]
    [ReadOnly]
    Task<IReadOnlyList<LocationSample>> GetLocations();
}
