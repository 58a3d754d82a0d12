using MeiLing.Grains.Orders;

namespace MeiLing.Grains.Catalogue;

/// <summary>
/// A merchant's catalogue, keyed by merchant id: the only source of order prices. It holds names and prices;
/// stock lives in one grain per product (<see cref="IProductStockGrain"/>), so selling never queues here.
/// </summary>
[Alias("meiling.catalogue")]
public interface ICatalogueGrain : IGrainWithStringKey
{
    public const long MaxPriceFen = 100_000_000;

    public const int MaxStock = 1_000_000_000;

    /// <summary>
    /// The most products (archived ones included, as they stay listed) one catalogue holds: more than a large
    /// supermarket sells, while the catalogue is one state rewritten whole at every change and listed whole.
    /// </summary>
    public const int MaxProducts = 10_000;

    /// <summary>
    /// Adds a product; a SKU is added once (409 after); prices are 1 to <see cref="MaxPriceFen"/> fen; beyond
    /// <see cref="MaxProducts"/> products, 409 <c>catalogue-full</c>. With
    /// <paramref name="initialStock"/> the product is stock-tracked from that count; without, it is not. That count is
    /// recorded as the staff member's, the operator's, or (neither) the merchant's own key.
    /// </summary>
    [Alias("add-by")]
    Task<Product> AddBy(Product product, int? initialStock, string? staffId, string? operatorId);

    /// <summary>As <see cref="AddBy"/> with no operator: the previous API hosts' call, answered for one release.</summary>
    [Alias("add")]
    Task<Product> Add(Product product, int? initialStock, string? staffId);

    /// <summary>
    /// Changes a product's name, price or image (null leaves a field as it is); 404 for an unknown SKU. A new price is kept
    /// with who set it (the staff member, the operator, or neither for the merchant's own key) before it stands
    /// (<see cref="PriceChanges"/>).
    /// </summary>
    [Alias("edit-by")]
    Task<Product> EditBy(string sku, ProductEdit edit, string? staffId, string? operatorId);

    /// <summary>As <see cref="EditBy"/> by nobody named: the previous API hosts' call, answered for one release.</summary>
    [Alias("edit")]
    Task<Product> Edit(string sku, ProductEdit edit);

    /// <summary>The most price changes one page of a product's listing shows.</summary>
    public const int MaxPriceChangePage = 200;

    /// <summary>
    /// The product's price changes newest first, at most <paramref name="limit"/> (one more than
    /// <see cref="MaxPriceChangePage"/>, so a page can tell whether another follows), those before
    /// <paramref name="beforeChangeId"/> when given; 404 for an unknown SKU. New in this release.
    /// </summary>
    [Alias("price-changes")]
    [ReadOnly]
    Task<IReadOnlyList<PriceChange>> PriceChanges(string sku, string? beforeChangeId, int limit);

    /// <summary>Archives a product: listed with <c>archived</c>, no new sales (409 <c>product-archived</c>); old orders keep their lines. Idempotent; 404 for an unknown SKU.</summary>
    [Alias("archive")]
    Task Archive(string sku);

    /// <summary>
    /// As <see cref="Archive"/>, naming who archived it (<see cref="Product.ArchivedBy"/>): the staff member, or the operator;
    /// both null for the merchant's own key.
    /// </summary>
    [Alias("archive-by")]
    Task ArchiveBy(string sku, string? staffId, string? operatorId);

    /// <summary>The most products one page of the listing holds: each tracked one on it asks its stock grain.</summary>
    public const int MaxPageSize = 500;

    /// <summary>
    /// Up to <paramref name="limit"/> (1 to <see cref="MaxPageSize"/>) products by SKU, those after
    /// <paramref name="afterSku"/> (from the first when null), with their stock (null where not tracked). Only
    /// the page's tracked products are asked their stock.
    /// </summary>
    [Alias("list-page")]
    [ReadOnly]
    Task<ProductPage> List(string? afterSku, int limit);

    /// <summary>
    /// The previous release's whole listing, now its first page only (<see cref="MaxPageSize"/> products): served so that
    /// an API host of that release keeps listing while a rolling upgrade mixes the two (WireContractTests).
    /// </summary>
    [Alias("list")]
    [ReadOnly]
    Task<IReadOnlyList<ProductListing>> ListFirstPage();

    /// <summary>
    /// Prices order items from the catalogue and names the stock-tracked SKUs among them; 400 <c>unknown-sku</c>
    /// for a SKU it does not sell, 409 <c>product-archived</c> for one it sells no more.
    /// </summary>
    [Alias("quote")]
    [ReadOnly]
    Task<OrderQuote> Quote(IReadOnlyList<OrderItem> items);

    /// <summary>
    /// Every product, archived ones included, for a silo to quote orders from (<see cref="Catalogue.PriceList"/>); null when the
    /// catalogue holds more than <see cref="Catalogue.PriceList.MaxProducts"/> products, which are quoted here instead.
    /// </summary>
    [Alias("price-list")]
    [ReadOnly]
    Task<PriceList?> GetPriceList();

    /// <summary>
    /// Moves a product's stock by <see cref="StockAdjustment.Delta"/> for its reason; returns the new stock. A product
    /// not tracked yet starts being tracked from zero. Below zero → 409 <c>stock-below-zero</c>; 404 for an unknown SKU.
    /// </summary>
    [Alias("adjust-stock")]
    Task<int> AdjustStock(string sku, StockAdjustment adjustment);
}
