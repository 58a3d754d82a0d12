namespace MeiLing.Grains.Catalogue;

/// <summary>
/// A movement of a product's stock: a delivery, a count, a loss, or a sale and its return. The operation id makes a
/// retried movement count once; the staff id (null for the merchant's own key) says who at the merchant moved it, the
/// operator id which operator did, on the merchant's behalf (P1.7: never passed off as the merchant's own key).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.stock-adjustment")]
public sealed record StockAdjustment(
    [property: Id(0)] string OperationId,
    [property: Id(1)] int Delta,
    [property: Id(2)] StockReason Reason,
    [property: Id(3)] string? StaffId,
    [property: Id(4)] string? OrderId = null,
    [property: Id(5)] string? OperatorId = null)
{
    /// <summary>Before the caller's Idempotency-Key in an adjustment's operation id (<see cref="ForKey"/>).</summary>
    public const string KeyPrefix = "key:";

    /// <summary>The operation id of an adjustment sent under the caller's Idempotency-Key.</summary>
    public static string ForKey(string idempotencyKey) => KeyPrefix + idempotencyKey;
}

/// <summary>Why stock moved. The first four are a merchant's adjustments; sales and returns come from orders.</summary>
[GenerateSerializer, Alias("meiling.stock-reason")]
public enum StockReason
{
    Delivery = 0,
    StockTake = 1,
    Damage = 2,
    Other = 3,
    Sale = 4,
    Return = 5,
}
