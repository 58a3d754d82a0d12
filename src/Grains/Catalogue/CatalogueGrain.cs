using System.Text.RegularExpressions;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Catalogue;

internal sealed partial class CatalogueGrain(
    [PersistentState("catalogue", StorageNames.Default)] IPersistentState<CatalogueState> state,
    PriceChangeStore priceChanges,
    ClusterFacts facts,
    TimeProvider clock) : Grain, ICatalogueGrain
{
    Task<Product> ICatalogueGrain.Add(Product product, int? initialStock, string? staffId) =>
        ((ICatalogueGrain)this).AddBy(product, initialStock, staffId, operatorId: null);

    async Task<Product> ICatalogueGrain.AddBy(Product product, int? initialStock, string? staffId, string? operatorId)
    {
        if (!SkuShape().IsMatch(product.Sku))
        {
            throw DomainException.InvalidField("sku", "invalid-sku", "A SKU is 1-64 letters, digits, '.', '_' or '-'.");
        }

        CheckPrice(product.PriceFen);
        if (initialStock is < 0 or > ICatalogueGrain.MaxStock)
        {
            throw DomainException.InvalidField("stock", "invalid-stock", $"Stock is 0 to {ICatalogueGrain.MaxStock}.");
        }

        if (!state.RecordExists && await GrainFactory.GetGrain<IMerchantGrain>(MerchantId).Get() is null)
        {
            throw DomainException.NotFound("merchant-not-found", "No such merchant.");
        }

        if (state.State.Products.ContainsKey(product.Sku))
        {
            throw DomainException.Conflict("sku-exists", $"SKU '{product.Sku}' is already in the catalogue.");
        }

        if (state.State.Products.Count >= ICatalogueGrain.MaxProducts)
        {
            // Without a bound, a merchant key (or a manager) adding products in a loop grows one state that every
            // change rewrites whole and every till's listing reads whole.
            throw DomainException.Conflict("catalogue-full", $"A catalogue holds at most {ICatalogueGrain.MaxProducts} products, archived ones included.");
        }

        // P4.4 (*reviewer*): an add rewrites the whole catalogue and tells every silo, as an edit does: a manager's key adding
        // and archiving in a loop wrote the catalogue over and over and filled it for good at no cost of the merchant's day.
        // A staff member's add counts as an edit; the owner's own key (and an operator) sets up the catalogue uncounted.
        if (staffId is not null)
        {
            await GrainFactory.TakeWhereKnownAsync(DailyAllowanceKind.CatalogueEditsByMerchant, MerchantId);
        }

        // P1.7 (*reviewer*): a manager's add (at a price of their choosing) named nobody; the merchant read it as its own.
        var added = product with
        {
            CreatedAt = clock.GetUtcNow(), Archived = false, StockTracked = initialStock is not null, AddedBy = staffId ?? operatorId, ArchivedBy = null,
        };
        if (initialStock is { } stock)
        {
            // The stock exists before the product can be sold, so no sale finds it tracked and empty by accident.
            await Stock(added.Sku).Adjust(new StockAdjustment($"opening:{added.CreatedAt.UtcTicks}", stock, StockReason.StockTake, staffId, OperatorId: operatorId));
        }

        state.State.Products[added.Sku] = added;
        await WriteAsync();
        return added;
    }

    // A previous release's API host names nobody: its price change is kept as by an unknown caller, not the merchant's key.
    Task<Product> ICatalogueGrain.Edit(string sku, ProductEdit edit) =>
        ((ICatalogueGrain)this).EditBy(sku, edit, staffId: PriceChange.UnknownCaller, operatorId: null);

    async Task<Product> ICatalogueGrain.EditBy(string sku, ProductEdit edit, string? staffId, string? operatorId)
    {
        var product = Existing(sku);
        if (edit.PriceFen is { } price)
        {
            CheckPrice(price);
        }

        // Orders keep the name and price their lines were priced with; only new sales see the change.
        var edited = product with
        {
            Name = edit.Name ?? product.Name,
            PriceFen = edit.PriceFen ?? product.PriceFen,
            ImageUrl = edit.ImageUrl ?? product.ImageUrl,
        };
        if (edited == product)
        {
            // P4.4: nothing changed, so nothing rewritten, no silo told, nothing counted.
            return product;
        }

        // P4.4: counted before anything is written: each edit rewrites the whole catalogue and tells every silo.
        await GrainFactory.TakeWhereKnownAsync(DailyAllowanceKind.CatalogueEditsByMerchant, MerchantId);
        if (edited.PriceFen != product.PriceFen)
        {
            // P1.7, P4.4: kept before the price stands, so no price ever sells unrecorded: a manager who drops a price for
            // a friend's sale and puts it back leaves both changes under their name. A trail that cannot take it changes nothing.
            var at = clock.GetUtcNow();
            await priceChanges.RecordAsync(MerchantId, sku, new PriceChange(
                EntityId.NewInTimeOrder(EntityId.PriceChangePrefix, at), product.PriceFen, edited.PriceFen, staffId, operatorId, at));
        }

        state.State.Products[sku] = edited;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not written: memory goes back to what is stored, so a retry finds the change still to make and writes it.
            state.State.Products[sku] = product;
            throw;
        }

        await facts.ForgetEverywhereAsync(CachedFact.CataloguePrices(MerchantId));
        return edited;
    }

    Task<IReadOnlyList<PriceChange>> ICatalogueGrain.PriceChanges(string sku, string? beforeChangeId, int limit)
    {
        _ = Existing(sku);
        return priceChanges.LatestAsync(MerchantId, sku, Math.Clamp(limit, 1, ICatalogueGrain.MaxPriceChangePage + 1), beforeChangeId);
    }

    // A previous release's API host names nobody, as before.
    Task ICatalogueGrain.Archive(string sku) => ((ICatalogueGrain)this).ArchiveBy(sku, staffId: null, operatorId: null);

    async Task ICatalogueGrain.ArchiveBy(string sku, string? staffId, string? operatorId)
    {
        var product = Existing(sku);
        if (!product.Archived)
        {
            await GrainFactory.TakeWhereKnownAsync(DailyAllowanceKind.CatalogueEditsByMerchant, MerchantId);
            // P1.7 (*reviewer*): a manager who archived the merchant's best seller named nobody.
            state.State.Products[sku] = product with { Archived = true, ArchivedBy = staffId ?? operatorId };
            await WriteAsync();
        }
    }

    async Task<IReadOnlyList<ProductListing>> ICatalogueGrain.ListFirstPage() =>
        (await ((ICatalogueGrain)this).List(null, ICatalogueGrain.MaxPageSize)).Items;

    async Task<ProductPage> ICatalogueGrain.List(string? afterSku, int limit)
    {
        // Keyed by SKU, not by position: a product added or archived between two pages moves no other across them.
        var take = Math.Clamp(limit, 1, ICatalogueGrain.MaxPageSize);
        var following = state.State.Products.Values
            .Where(p => afterSku is null || string.CompareOrdinal(p.Sku, afterSku) > 0)
            .OrderBy(p => p.Sku, StringComparer.Ordinal)
            .Take(take + 1)
            .ToList();
        var products = following.Take(take).ToList();
        // The page's tracked products' stock from their own grains, all asked at once: never the whole catalogue's (P4.4).
        var stocks = await Task.WhenAll(products.Select(p => p.StockTracked ? Stock(p.Sku).Get() : Task.FromResult<int?>(null)));
        return new ProductPage(
            [.. products.Select((p, i) => new ProductListing(p.Sku, p.Name, p.PriceFen, p.ImageUrl, stocks[i], p.Archived, p.CreatedAt, p.AddedBy, p.ArchivedBy))],
            following.Count > take);
    }

    Task<OrderQuote> ICatalogueGrain.Quote(IReadOnlyList<OrderItem> items) =>
        Task.FromResult(CatalogueQuoting.Quote(state.State.Products, items));

    Task<PriceList?> ICatalogueGrain.GetPriceList() =>
        Task.FromResult(state.State.Products.Count > PriceList.MaxProducts ? null : new PriceList([.. state.State.Products.Values]));

    async Task<int> ICatalogueGrain.AdjustStock(string sku, StockAdjustment adjustment)
    {
        if (adjustment.Delta == 0)
        {
            throw DomainException.InvalidField("delta", "invalid-delta", "A stock movement moves at least one item.");
        }

        _ = Existing(sku);
        // P4.4 (*reviewer*): a movement the stock would refuse is refused before it is counted: a manager's key posting
        // impossible counts spent the merchant's day of adjustments, every one refused and none recorded, and froze every
        // till's counts until the day turned with nothing to say who. Counted before anything is written, so a day's
        // allowance spent writes nothing more (429 quota-exceeded).
        await Stock(sku).EnsureAdjustable(adjustment);
        await GrainFactory.GetGrain<IDailyAllowanceGrain>(IDailyAllowanceGrain.KeyOf(DailyAllowanceKind.StockAdjustmentsByMerchant, MerchantId)).Take();
        var stockAfter = await Stock(sku).Adjust(adjustment);
        if (Existing(sku) is { StockTracked: false } untracked)
        {
            // The first count of a product sold untracked until now starts tracking it from zero, once that count stands.
            // Marked first, a refused count (below zero) left it tracked with no count: its sales took nothing, their
            // cancellations put the goods back all the same, and a till made stock out of nothing. So did a sale priced
            // between the mark and the count.
            state.State.Products[sku] = untracked with { StockTracked = true };
            await WriteAsync();
        }

        return stockAfter;
    }

    private Product Existing(string sku) =>
        state.State.Products.TryGetValue(sku, out var product)
            ? product
            : throw DomainException.NotFound("product-not-found", $"The catalogue has no SKU '{sku}'.");

    private IProductStockGrain Stock(string sku) => GrainFactory.GetGrain<IProductStockGrain>(IProductStockGrain.KeyOf(MerchantId, sku));

    // Every silo quotes orders from its copy of the prices: it is forgotten everywhere before a change answers, so the
    // next order after an edit, an archive or a new product is priced from the catalogue as it now is.
    private async Task WriteAsync()
    {
        await state.WriteStateAsync();
        await facts.ForgetEverywhereAsync(CachedFact.CataloguePrices(MerchantId));
    }

    private string MerchantId => this.GetPrimaryKeyString();

    private static void CheckPrice(long priceFen)
    {
        if (priceFen is < 1 or > ICatalogueGrain.MaxPriceFen)
        {
            throw DomainException.InvalidField("priceFen", "invalid-price", $"Prices are 1 to {ICatalogueGrain.MaxPriceFen} fen.");
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}\z")]
    private static partial Regex SkuShape();
}

/// <summary>Persisted state of a catalogue: products by SKU (their stock lives in each product's own grain).</summary>
public sealed class CatalogueState
{
    public Dictionary<string, Product> Products { get; set; } = [];
}
