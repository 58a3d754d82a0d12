namespace MeiLing.Grains.Consents;

/// <summary>
/// The record of one consent change, after the Kantara Consent Receipt: what was decided, when,
/// under which policy version, how it was collected and in which jurisdiction. Immutable once written.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.consent-receipt")]
public sealed record ConsentReceipt(
    [property: Id(0)] string ReceiptId,
    [property: Id(1)] string UserId,
    [property: Id(2)] ConsentPurpose Purpose,
    [property: Id(3)] bool Granted,
    [property: Id(4)] string PolicyVersion,
    [property: Id(5)] DateTimeOffset At,
    [property: Id(6)] string CollectionMethod,
    [property: Id(7)] string Jurisdiction);
