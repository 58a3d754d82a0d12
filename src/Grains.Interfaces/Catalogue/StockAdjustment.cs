namespace MeiLing.Grains.Catalogue;

/// <summary>
/// A movement of a product's stock: a delivery, a count, a loss, or a sale and its return. The operation id makes a
/// retried movement count once; the staff id (null for the merchant's own key) says who at the merchant moved it, the
/// operator id which operator did, on the merchant's behalf (P1.7: never passed off as the merchant's own key).
/// <see cref="PreviousOperationId"/> is the id the previous release gave the same Idempotency-Key (the key alone, shared by
/// all the merchant's keys and operators): an adjustment made under it just before a deploy, retried after by the same
/// caller, is found and not applied twice.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.stock-adjustment")]
public sealed record StockAdjustment(
    [property: Id(0)] string OperationId,
    [property: Id(1)] int Delta,
    [property: Id(2)] StockReason Reason,
    [property: Id(3)] string? StaffId,
    [property: Id(4)] string? OrderId = null,
    [property: Id(5)] string? OperatorId = null,
    [property: Id(6)] string? PreviousOperationId = null)
{
    /// <summary>Before the caller's Idempotency-Key in an adjustment's operation id (<see cref="ForKey"/>).</summary>
    public const string KeyPrefix = "key:";

    /// <summary>
    /// The operation id of an adjustment sent under the caller's Idempotency-Key, within the caller's own keys
    /// (<paramref name="callerScope"/>, the key's holder). P1.6, P4.4: one key shared by the merchant's every key made a
    /// manager's delivery under a key another manager had used a "retry" of theirs: answered with the old count, nothing
    /// moved, no movement kept, and a day's adjustment spent. An Idempotency-Key holds no '/', so no key of one caller
    /// reads as another's.
    /// </summary>
    public static string ForKey(string callerScope, string idempotencyKey) => $"{KeyPrefix}{callerScope}/{idempotencyKey}";

    /// <summary>The operation id the previous release gave an Idempotency-Key, whoever sent it (<see cref="PreviousOperationId"/>).</summary>
    public static string ForPreviousKey(string idempotencyKey) => KeyPrefix + idempotencyKey;
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
