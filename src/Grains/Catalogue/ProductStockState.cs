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
    public int Apply(string operationId, int delta)
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

        Stock = (int)after;
        Applied.Add(new AppliedMovement { OperationId = operationId, Delta = delta, StockAfter = Stock.Value });
        if (Applied.Count > OperationsRemembered)
        {
            Applied.RemoveRange(0, Applied.Count - OperationsRemembered);
        }

        return Stock.Value;
    }

    /// <summary>Undoes an applied sale and forgets it; null when there was none under that id.</summary>
    public int? Release(string operationId)
    {
        if (Find(operationId) is not { } applied)
        {
            return null;
        }

        Applied.Remove(applied);
        Stock = (Stock ?? 0) - applied.Delta;
        return -applied.Delta;
    }

    public sealed class AppliedMovement
    {
        public string OperationId { get; set; } = "";

        public int Delta { get; set; }

        public int StockAfter { get; set; }
    }
}
