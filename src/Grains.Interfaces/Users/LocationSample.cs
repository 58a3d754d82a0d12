namespace MeiLing.Grains.Users;

/// <summary>One location sample (P1.2); sensitive personal data (Appendix A.2).</summary>
[GenerateSerializer, Immutable, Alias("meiling.location-sample")]
public sealed record LocationSample(
    [property: Id(0)] double Latitude,
    [property: Id(1)] double Longitude,
    [property: Id(2)] double AccuracyMeters,
    [property: Id(3)] LocationSource Source,
    [property: Id(4)] DateTimeOffset At);

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
