using MeiLing.Grains.DataRights;

namespace MeiLing.Grains.Transfers;

/// <summary>A user's objection to a business transfer, with the merchant told to erase their data and how that notice went.</summary>
[GenerateSerializer, Immutable, Alias("meiling.transfer-objection-notice")]
public sealed record TransferObjectionNotice(
    [property: Id(0)] string TransferId,
    [property: Id(1)] string UserId,
    [property: Id(2)] IReadOnlyList<RequestRecipient> Recipients);

/// <summary>A page of objection notices, with the cursor of the next page (null on the last).</summary>
[GenerateSerializer, Immutable, Alias("meiling.transfer-objection-notice-page")]
public sealed record TransferObjectionNoticePage(
    [property: Id(0)] IReadOnlyList<TransferObjectionNotice> Items,
    [property: Id(1)] string? NextCursor);
