using MeiLing.Grains.DataRights;

namespace MeiLing.Grains.Merchants;

/// <summary>
/// An order a closing merchant erased, with the payment and delivery partners told to erase their copies of it and how
/// each notice went (P3.1, P4.3): the user's to read, support's to chase.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.closure-notice")]
public sealed record ClosureNotice(
    [property: Id(0)] string OrderId,
    [property: Id(1)] string UserId,
    [property: Id(2)] IReadOnlyList<RequestRecipient> Recipients);

/// <summary>A page of closure notices, with the cursor of the next page (null on the last).</summary>
[GenerateSerializer, Immutable, Alias("meiling.closure-notice-page")]
public sealed record ClosureNoticePage(
    [property: Id(0)] IReadOnlyList<ClosureNotice> Items,
    [property: Id(1)] string? NextCursor);
