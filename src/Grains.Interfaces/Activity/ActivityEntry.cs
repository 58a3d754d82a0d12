using System.Text.Json.Serialization;
using MeiLing.Grains.Privacy;

namespace MeiLing.Grains.Activity;

/// <summary>
/// A request of a signed-in user, as the activity log keeps it (P1.3): part of a sealed row of the activity table,
/// not grain state. What was asked for and when is browsing; how it was asked (agent, language, system), the device.
/// The same request made again from the same place before the log was written is counted on the entry
/// (<see cref="Requests"/>, the last at <see cref="Until"/>) rather than kept again.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.activity-entry"), HoldsPersonalData]
public sealed record ActivityEntry(
    [property: Id(0), PersonalData(DataCategory.NetworkIdentifier)] string UserId,
    [property: Id(1), PersonalData(DataCategory.Browsing)] DateTimeOffset At,
    [property: Id(2), PersonalData(DataCategory.NetworkIdentifier)] string? IpAddress,
    [property: Id(3), PersonalData(DataCategory.Device)] string? UserAgent,
    [property: Id(4), PersonalData(DataCategory.Device)] string? Language,
    [property: Id(5), PersonalData(DataCategory.Device)] string? OperatingSystem,
    [property: Id(6), PersonalData(DataCategory.Browsing)] string Path,
    [property: Id(7), PersonalData(DataCategory.Browsing)] string? SearchTerms,
    [property: Id(8), PersonalData(DataCategory.Browsing)] int Requests = 1,
    [property: Id(9), PersonalData(DataCategory.Browsing)] DateTimeOffset? Until = null)
{
    /// <summary>When the last request this entry counts was made.</summary>
    [JsonIgnore]
    public DateTimeOffset LastAt => Until ?? At;
}
