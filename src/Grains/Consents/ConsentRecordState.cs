using MeiLing.Grains.Privacy;
using MeiLing.Grains.Privacy.Encryption;

namespace MeiLing.Grains.Consents;

/// <summary>Persisted state of a consent receipt: the receipt itself, immutable.</summary>
[HoldsPersonalData]
public sealed class ConsentRecordState : IOwnedByUser
{
    // Pseudonymized receipts (the account cancelled) are kept in clear: they lead to no one.
    string? IOwnedByUser.OwnerUserId =>
        Receipt?.UserId is { } userId && userId.StartsWith(Platform.EntityId.UserPrefix, StringComparison.Ordinal) ? userId : null;

    [PersonalData(DataCategory.Basic)]
    public ConsentReceipt? Receipt { get; set; }
}
