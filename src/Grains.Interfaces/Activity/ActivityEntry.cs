using System.Text.Json.Serialization;
using MeiLing.Grains.Privacy;

namespace MeiLing.Grains.Activity;

/// <summary>
/// A request of a signed-in user, as the activity log keeps it (P1.3): part of a sealed row of the activity table,
/// not grain state. What was asked for and when is browsing; how it was asked (agent, language, system), the device.
/// The same request made again from the same place before the log was written is counted on the entry
/// (<see cref="Requests"/>, the last at <see cref="Until"/>) rather than kept again. Requests of one user beyond the
/// distinct ones a flush keeps apart are counted on one overflow entry (<see cref="Overflow"/> set, no path).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.activity-entry"), HoldsPersonalData]
[method: JsonConstructor]
public sealed record ActivityEntry(
    [property: Id(0), PersonalData(DataCategory.NetworkIdentifier)] string UserId,
    [property: Id(1), PersonalData(DataCategory.Browsing)] DateTimeOffset At,
    [property: Id(2), PersonalData(DataCategory.NetworkIdentifier)] string? IpAddress,
    [property: Id(3), PersonalData(DataCategory.Device)] string? UserAgent,
    [property: Id(4), PersonalData(DataCategory.Device)] string? Language,
    [property: Id(5), PersonalData(DataCategory.Device)] string? OperatingSystem,
    [property: Id(6), PersonalData(DataCategory.Browsing)] string Path,
    [property: Id(7), PersonalData(DataCategory.Browsing)] string? SearchTerms,
    [property: Id(8), PersonalData(DataCategory.Browsing)] int Requests,
    [property: Id(9), PersonalData(DataCategory.Browsing)] DateTimeOffset? Until,
    [property: Id(10), PersonalData(DataCategory.Browsing)] ActivityOverflow? Overflow = null)
{
    /// <summary>One request, made once.</summary>
    public ActivityEntry(
        string userId, DateTimeOffset at, string? ipAddress, string? userAgent, string? language, string? operatingSystem, string path, string? searchTerms)
        : this(userId, at, ipAddress, userAgent, language, operatingSystem, path, searchTerms, Requests: 1, Until: null)
    {
    }

    /// <summary>When the last request this entry counts was made.</summary>
    [JsonIgnore]
    public DateTimeOffset LastAt => Until ?? At;
}

/// <summary>
/// Set on the one entry of a flush that counts a user's requests beyond the distinct ones the log keeps apart
/// (<see cref="ActivityCoalescing.DistinctPerUser"/>): its <see cref="ActivityEntry.Requests"/> are every one of them,
/// made between its <see cref="ActivityEntry.At"/> and <see cref="ActivityEntry.Until"/>, and
/// <see cref="DistinctRequests"/> says how many different requests (path, search, address or browser) they were. Its
/// path and search are empty; its address, browser, language and system are kept where all of them share one.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.activity-overflow")]
public sealed record ActivityOverflow([property: Id(0)] int DistinctRequests);
