using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Catalogue;

/// <summary>
/// Persisted state of one product's stock: the count (null while not tracked) and the recent operations applied,
/// so a retried sale, return or adjustment counts once. The movements themselves are kept in a table.
/// </summary>
public sealed class ProductStockState
{
    private const int OperationsRemembered = 1000;

    public int? Stock { get; set; }

    public List<AppliedMovement> Applied { get; set; } = [];

    /// <summary>Whether a sale of <paramref name="quantity"/> is covered: an untracked product always is.</summary>
    public bool Covers(int quantity) => Stock is not { } stock || stock >= quantity;

    public AppliedMovement? Find(string operationId) => Applied.Find(op => op.OperationId == operationId);

    /// <summary>Applies a movement and returns the stock after it; below zero is refused and nothing changes.</summary>
    public int Apply(string operationId, int delta, DateTimeOffset? at = null) => Record(operationId, delta, EnsureApplies(delta), at);

    /// <summary>The stock after <paramref name="delta"/>; refused (nothing changes) below zero or above the maximum.</summary>
    public int EnsureApplies(int delta)
    {
        var after = (long)(Stock ?? 0) + delta;
        if (after < 0)
        {
            throw DomainException.Conflict("stock-below-zero", $"The stock is {Stock ?? 0}; it cannot go below zero.");
        }

        if (after > Catalogue.ICatalogueGrain.MaxStock)
        {
            throw DomainException.InvalidField("delta", "invalid-stock", $"Stock is at most {Catalogue.ICatalogueGrain.MaxStock}.");
        }

        return (int)after;
    }

    /// <summary>
    /// Puts refunded goods back and returns the stock after it. Never refused: the goods are back whatever the count
    /// says, and a refund must not wait on it. A count already at the maximum (raised by hand after the sale) stays there.
    /// </summary>
    public int Return(string operationId, int quantity, DateTimeOffset? at = null) =>
        Record(operationId, quantity, AtMostTheMaximum((long)(Stock ?? 0) + quantity), at);

    /// <summary>Undoes an applied sale and forgets it; null when there was none under that id.</summary>
    public int? Release(string operationId)
    {
        if (Find(operationId) is not { } applied)
        {
            return null;
        }

        Applied.Remove(applied);
        Stock = AtMostTheMaximum((long)(Stock ?? 0) - applied.Delta);
        return -applied.Delta;
    }

    private static int AtMostTheMaximum(long stock) => (int)Math.Min(stock, Catalogue.ICatalogueGrain.MaxStock);

    // The movement's delta is the one asked for, so a retry of it is recognised even where the count was capped.
    private int Record(string operationId, int delta, int stockAfter, DateTimeOffset? at)
    {
        Stock = stockAfter;
        Applied.Add(new AppliedMovement { OperationId = operationId, Delta = delta, StockAfter = stockAfter, At = at });
        if (Applied.Count > OperationsRemembered)
        {
            Applied.RemoveRange(0, Applied.Count - OperationsRemembered);
        }

        return stockAfter;
    }

    public sealed class AppliedMovement
    {
        public string OperationId { get; set; } = "";

        public int Delta { get; set; }

        public int StockAfter { get; set; }

        /// <summary>When it was applied, so a row recorded again on a retry keeps its place in the history; null before this was kept.</summary>
        public DateTimeOffset? At { get; set; }
    }
}
