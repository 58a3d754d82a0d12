namespace MeiLing.Grains.Legal;

/// <summary>
/// A legal demand for a user's data (P3.3): the authority, the document that obliges the platform
/// (<c>subpoena</c>, <c>investigation-letter</c>, <c>court-order</c>, <c>other</c>) and its reference, the fields
/// handed over, and whether the user may be told (false where the law forbids telling them).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.legal-demand")]
public sealed record LegalDemand(
    [property: Id(0)] string Authority,
    [property: Id(1)] string DocumentType,
    [property: Id(2)] string DocumentReference,
    [property: Id(3)] IReadOnlyList<string> Fields,
    [property: Id(4)] bool NotifyUser,
    [property: Id(5)] string RecordedBy);

/// <summary>A recorded legal disclosure, as operators review it.</summary>
[GenerateSerializer, Immutable, Alias("meiling.legal-disclosure")]
public sealed record LegalDisclosure(
    [property: Id(0)] string DisclosureId,
    [property: Id(1)] string UserId,
    [property: Id(2)] string Authority,
    [property: Id(3)] string DocumentType,
    [property: Id(4)] string DocumentReference,
    [property: Id(5)] IReadOnlyList<string> Fields,
    [property: Id(6)] bool UserNotified,
    [property: Id(7)] DateTimeOffset At,
    [property: Id(8)] string? RecordedBy = null,
    [property: Id(9)] DateTimeOffset? CompletedAt = null)
{
    /// <summary>Whether a demand naming this disclosure's document asks for the same: its type, its fields (in any order) and whether the user is told.</summary>
    public bool IsTheSameDemandAs(LegalDemand demand) =>
        DocumentType == demand.DocumentType && UserNotified == demand.NotifyUser
        && Fields.ToHashSet(StringComparer.Ordinal).SetEquals(demand.Fields);
}
