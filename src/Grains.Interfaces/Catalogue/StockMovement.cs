namespace MeiLing.Grains.Catalogue;

/// <summary>
/// One kept movement of a product's stock: how much, the stock it left, why, who (a staff member, an operator, or
/// neither for the merchant's own key), for which order, when.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.stock-movement")]
public sealed record StockMovement(
    [property: Id(0)] string MovementId,
    [property: Id(1)] int Delta,
    [property: Id(2)] int StockAfter,
    [property: Id(3)] string Reason,
    [property: Id(4)] string? StaffId,
    [property: Id(5)] string? OrderId,
    [property: Id(6)] DateTimeOffset At,
    [property: Id(7)] string? OperatorId = null);
