namespace MeiLing.Grains.Catalogue;

/// <summary>
/// The stock of one product, keyed <c>{merchantId}/{sku}</c> (the ShoppingCart sample's product grain): each product
/// its own grain, so a hot product queues only its own sales and a catalogue of thousands sells in parallel. Every
/// movement is applied once per operation id and kept with who, why and when.
/// </summary>
[Alias("meiling.product-stock")]
public interface IProductStockGrain : IGrainWithStringKey
{
    public static string KeyOf(string merchantId, string sku) => $"{merchantId}/{sku}";

    /// <summary>The stock now, or null while the product is not tracked.</summary>
    [Alias("get")]
    [ReadOnly]
    Task<int?> Get();

    /// <summary>Applies a sale (a negative delta) when the stock covers it; false, and nothing taken, when it does not.</summary>
    [Alias("try-take")]
    Task<bool> TryTake(StockAdjustment sale);

    /// <summary>
    /// Undoes a sale taken by <see cref="TryTake"/> under <paramref name="operationId"/> and forgets it, so the same
    /// order placed again takes its stock anew (the other lines of its order were short). Nothing when unknown.
    /// </summary>
    [Alias("release")]
    Task Release(string operationId);

    /// <summary>The latest movements, newest first.</summary>
    [Alias("movements")]
    [ReadOnly]
    Task<IReadOnlyList<StockMovement>> Movements(int limit);

    /// <summary>
    /// A page of movements, newest first: those before the movement <paramref name="beforeMovementId"/> (the last of the
    /// page before), or the latest when null; none when that movement is not this product's. Added beside
    /// <see cref="Movements"/> for a rolling upgrade.
    /// </summary>
    [Alias("movements-before")]
    [ReadOnly]
    Task<IReadOnlyList<StockMovement>> MovementsBefore(string? beforeMovementId, int limit);

    /// <summary>Applies a movement (tracking starts at zero if it had not); 409 <c>stock-below-zero</c> when it would go below zero.</summary>
    [Alias("adjust")]
    Task<int> Adjust(StockAdjustment adjustment);

    /// <summary>
    /// Refuses, as <see cref="Adjust"/> would, a new movement the stock cannot take (409 <c>stock-below-zero</c>, 400
    /// <c>invalid-stock</c>), changing nothing; a movement already applied under its id passes (its retry is answered as done).
    /// </summary>
    [Alias("ensure-adjustable")]
    [ReadOnly]
    Task EnsureAdjustable(StockAdjustment adjustment);
}
