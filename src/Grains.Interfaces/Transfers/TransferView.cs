namespace MeiLing.Grains.Transfers;

/// <summary>
/// A business transfer (P3.2): from whom, to whom, when, how many users were told so far, whether every one is
/// (<see cref="NoticesComplete"/>: each user is handed over 30 days after they were told at the earliest), and where it stands.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.transfer-view")]
public sealed record TransferView(
    [property: Id(0)] string TransferId,
    [property: Id(1)] string MerchantId,
    [property: Id(2)] string SuccessorMerchantId,
    [property: Id(3)] DateTimeOffset EffectiveAt,
    [property: Id(4)] int UsersNotified,
    [property: Id(5)] string Status,
    [property: Id(6)] bool NoticesComplete = false);
