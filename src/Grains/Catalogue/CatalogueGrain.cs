using System.Text.RegularExpressions;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Catalogue;

internal sealed partial class CatalogueGrain(
    [PersistentState("catalogue", StorageNames.Default)] IPersistentState<CatalogueState> state,
    TimeProvider clock) : Grain, ICatalogueGrain
{
    async Task<Product> ICatalogueGrain.Add(Product product)
    {
        if (!SkuShape().IsMatch(product.Sku))
        {
            throw DomainException.InvalidField("sku", "invalid-sku", "A SKU is 1-64 letters, digits, '.', '_' or '-'.");
        }

        if (product.PriceFen is < 1 or > ICatalogueGrain.MaxPriceFen)
        {
            throw DomainException.InvalidField("priceFen", "invalid-price", $"Prices are 1 to {ICatalogueGrain.MaxPriceFen} fen.");
        }

        if (!state.RecordExists && await GrainFactory.GetGrain<IMerchantGrain>(this.GetPrimaryKeyString()).Get() is null)
        {
            throw DomainException.NotFound("merchant-not-found", "No such merchant.");
        }

        if (state.State.Products.ContainsKey(product.Sku))
        {
            throw DomainException.Conflict("sku-exists", $"SKU '{product.Sku}' is already in the catalogue.");
        }

        var added = product with { CreatedAt = clock.GetUtcNow() };
        state.State.Products[added.Sku] = added;
        await state.WriteStateAsync();
        return added;
    }

    Task<IReadOnlyList<Product>> ICatalogueGrain.List() =>
        Task.FromResult<IReadOnlyList<Product>>([.. state.State.Products.Values.OrderBy(p => p.Sku, StringComparer.Ordinal)]);

    // Totals come from here and nowhere else: a client names SKUs and quantities, never prices.
    Task<IReadOnlyList<OrderLine>> ICatalogueGrain.Price(IReadOnlyList<OrderItem> items)
    {
        var lines = new List<OrderLine>(items.Count);
        foreach (var item in items)
        {
            if (!state.State.Products.TryGetValue(item.Sku, out var product))
            {
                throw DomainException.InvalidField("items", "unknown-sku", $"The merchant does not sell SKU '{item.Sku}'.");
            }

            lines.Add(new OrderLine(product.Sku, product.Name, product.PriceFen, item.Quantity));
        }

        return Task.FromResult<IReadOnlyList<OrderLine>>(lines);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex SkuShape();
}

/// <summary>Persisted state of a catalogue: products by SKU.</summary>
public sealed class CatalogueState
{
    public Dictionary<string, Product> Products { get; set; } = [];
}
