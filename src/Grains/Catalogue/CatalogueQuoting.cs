using MeiLing.Grains.Orders;

namespace MeiLing.Grains.Catalogue;

/// <summary>
/// How order items are priced from a catalogue's products, the same in the catalogue grain and from a silo's copy of its
/// prices (<see cref="CataloguePrices"/>): totals come from the catalogue and nowhere else, a client names SKUs and
/// quantities, never prices.
/// </summary>
public static class CatalogueQuoting
{
    public static OrderQuote Quote(IReadOnlyDictionary<string, Product> products, IReadOnlyList<OrderItem> items)
    {
        var lines = new List<OrderLine>(items.Count);
        var stocked = new List<string>();
        foreach (var item in items)
        {
            if (!products.TryGetValue(item.Sku, out var product))
            {
                throw DomainException.InvalidField("items", "unknown-sku", $"The merchant does not sell SKU '{item.Sku}'.");
            }

            if (product.Archived)
            {
                throw DomainException.Conflict("product-archived", $"SKU '{item.Sku}' is archived and sells no more.");
            }

            lines.Add(new OrderLine(product.Sku, product.Name, product.PriceFen, item.Quantity));
            if (product.StockTracked && !stocked.Contains(product.Sku))
            {
                stocked.Add(product.Sku);
            }
        }

        return new OrderQuote(lines, stocked);
    }
}
