using MeiLing.Grains.Consents;

namespace MeiLing.Grains.DataRights;

/// <summary>A consent withdrawn directly, with every party told of it and how each notice went (P1.10, P3.1).</summary>
[GenerateSerializer, Immutable, Alias("meiling.withdrawal-notice")]
public sealed record WithdrawalNotice(
    [property: Id(0)] ConsentReceipt Receipt,
    [property: Id(1)] IReadOnlyList<RequestRecipient> Recipients);

/// <summary>A page of withdrawal notices, with the cursor of the next page (the last receipt id; null on the last page).</summary>
[GenerateSerializer, Immutable, Alias("meiling.withdrawal-notice-page")]
public sealed record WithdrawalNoticePage(
    [property: Id(0)] IReadOnlyList<WithdrawalNotice> Items,
    [property: Id(1)] string? NextCursor);
