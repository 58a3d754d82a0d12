namespace MeiLing.Grains.Legal;

/// <summary>
/// A legal demand for a user's data (P3.3): the authority, the document that obliges the platform
/// (<c>subpoena</c>, <c>investigation-letter</c>, <c>court-order</c>, <c>other</c>) and its reference, the fields
/// handed over, and whether the user may be told (false where the law forbids telling them: then until when,
/// <see cref="WithheldUntil"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.legal-demand")]
public sealed record LegalDemand(
    [property: Id(0)] string Authority,
    [property: Id(1)] string DocumentType,
    [property: Id(2)] string DocumentReference,
    [property: Id(3)] IReadOnlyList<string> Fields,
    [property: Id(4)] bool NotifyUser,
    [property: Id(5)] string RecordedBy,
    [property: Id(6)] DateTimeOffset? WithheldUntil = null);

/// <summary>
/// A recorded legal disclosure, as operators review it: <see cref="Status"/> <c>awaiting-approval</c> (nothing handed over
/// yet), <c>handed-over</c>, or <c>begun</c> (refused or interrupted); a withheld one until <see cref="WithheldUntil"/>, then
/// told to the user (<see cref="ReleasedAt"/>).
/// </summary>
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
    [property: Id(9)] DateTimeOffset? CompletedAt = null,
    [property: Id(10)] bool ApprovalNeeded = false,
    [property: Id(11)] string? ApprovedBy = null,
    [property: Id(12)] DateTimeOffset? WithheldUntil = null,
    [property: Id(13)] DateTimeOffset? ReleasedAt = null,
    [property: Id(14)] string? WithholdingSetBy = null)
{
    public const string AwaitingApproval = "awaiting-approval";
    public const string HandedOver = "handed-over";
    public const string Begun = "begun";

    public string Status => CompletedAt is not null ? HandedOver : ApprovalNeeded && ApprovedBy is null ? AwaitingApproval : Begun;

    /// <summary>Whether a demand naming this disclosure's document asks for the same: its type, its fields (in any order) and whether the user is told.</summary>
    public bool IsTheSameDemandAs(LegalDemand demand) =>
        DocumentType == demand.DocumentType && UserNotified == demand.NotifyUser
        && Fields.ToHashSet(StringComparer.Ordinal).SetEquals(demand.Fields);
}
