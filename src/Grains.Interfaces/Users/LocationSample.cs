using MeiLing.Grains.Privacy;

namespace MeiLing.Grains.Users;

/// <summary>
/// One location sample (P1.2), kept as a row of the sealed location table rather than in grain state: every
/// field is precise location and, over time, a track, so all of it is sensitive (Appendix A.2).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.location-sample"), HoldsPersonalData]
public sealed record LocationSample(
    [property: Id(0), PersonalData(DataCategory.Location, Sensitive = true)] double Latitude,
    [property: Id(1), PersonalData(DataCategory.Location, Sensitive = true)] double Longitude,
    [property: Id(2), PersonalData(DataCategory.Location, Sensitive = true)] double AccuracyMeters,
    [property: Id(3), PersonalData(DataCategory.Location, Sensitive = true)] LocationSource Source,
    [property: Id(4), PersonalData(DataCategory.Location, Sensitive = true)] DateTimeOffset At);

/// <summary>How a location was obtained.</summary>
[GenerateSerializer, Alias("meiling.location-source")]
public enum LocationSource
{
    Gps = 0,
    Wifi = 1,
    Bluetooth = 2,
    Cell = 3,
    Ip = 4,
}
