using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MeiLing.Api.Audit;
using MeiLing.Api.Extensions;
using MeiLing.Api.Security;
using MeiLing.Api.Validation;
using MeiLing.Grains.Catalogue;
using MeiLing.Grains.Platform;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MeiLing.Api.Apis;

/// <summary>A merchant's catalogue: the only source of the prices orders are totalled from, and each product's stock.</summary>
public static class ProductsApi
{
    public static RouteGroupBuilder MapProductsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/merchants/{merchantId:id}/products").WithTags("Merchant app");

        group.MapPost("/", AddProduct).WithName("AddProduct").ForCaller(CallerScope.TheMerchantManagerOrOperator.ThatExists())
            .WithSummary("Add a product (sku, name, price in fen, optional stock).")
            .WithDescription("With `stock` the product is stock-tracked from that count; without, `stock` stays null and sales take none. A catalogue holds at most 10,000 products, archived ones included (beyond: 409 catalogue-full). The merchant key, a manager or an operator; a cashier gets 403.")
            .ProducesProblems(400, 409);
        // P4.4 (*reviewer*): a page is up to 500 stock grains asked; a till's key looping it at its whole rate asked them a
        // thousand times a second. A staff key reads it at its heavy-reads rate, which a till loading prices never nears.
        group.MapGet("/", ListProducts).WithName("ListProducts").ForCaller(CallerScope.TheMerchantOrOperator.ThatExists())
            .RequireRateLimiting(RateLimits.StaffReadsPolicy)
            .WithSummary("The merchant's products, by SKU, with their stock and whether archived, a page at a time (limit 1-500, default 500; cursor).")
            .WithDescription("`stock` is null for a product not stock-tracked. Every staff member may read it (the till needs prices), a manager's or cashier's key at MEILING_RATE_LIMIT_HEAVY_READS_PER_SECOND, then 429 (P4.4). A page holds at most 500 products; `nextCursor` (the page's last SKU) gives the next, null on the last. A cursor that is not a SKU is 400.")
            .ProducesProblems(400);
        group.MapPatch("/{sku}", EditProduct).WithName("EditProduct").ForCaller(CallerScope.TheMerchantManagerOrOperator.ThatExists())
            .WithSummary("Change a product's name, price or image; orders already placed keep their lines.")
            .WithDescription("Fields left out stay as they are. A new price is kept with who set it and when, before it stands (`GET …/price-changes`). A cashier gets 403; an unknown SKU 404.")
            .ProducesProblems(400);
        group.MapGet("/{sku}/price-changes", PriceChanges).WithName("ListPriceChanges").ForCaller(CallerScope.TheMerchantManagerOrOperator.ThatExists())
            .WithSummary("The product's price changes, newest first, a page at a time (limit 1-200, default 50; cursor): the price before and after, the staff member, the operator who changed it on the merchant's behalf (operatorId), and when (P1.7).")
            .WithDescription("Neither staffId nor operatorId: the merchant's own key; staffId `unknown`: made through an API host of the previous release while the cluster rolled. Kept for good, so a price dropped for one sale and put back shows both changes. A cashier gets 403; an unknown SKU 404; a cursor not shaped as a change id 400, and one of no change of this product ends the listing (no items).")
            .ProducesProblems(400, 404);
        group.MapDelete("/{sku}", ArchiveProduct).WithName("ArchiveProduct").ForCaller(CallerScope.TheMerchantManagerOrOperator.ThatExists())
            .WithSummary("Archive a product: still listed (archived: true, archivedBy: the staff member or operator who did it, null for the merchant's key), no new sales (409 product-archived).")
            .WithDescription("Old orders keep their lines, refunds of them still work. Idempotent. A cashier gets 403.");
        group.MapPost("/{sku}/stock", AdjustStock).WithName("AdjustStock").ForCaller(CallerScope.TheMerchantManagerOrOperator.ThatExists())
            .WithSummary("Move a product's stock by delta with a reason (delivery, stock-take, damage, other); answers the new stock.")
            .WithDescription("Below zero → 409 stock-below-zero, nothing changed. The first adjustment of a product not tracked starts tracking it from zero. An Idempotency-Key header makes a retry count once (each of the merchant's keys, and each operator, has keys of its own: another's adjustment under the same key is its own); the same key with another delta is 409 idempotency-key-reused, nothing changed. Every movement is kept with who, why and when (`GET …/stock/movements`). Beyond the merchant's adjustments a day, all its keys and operators together (MEILING_STOCK_ADJUSTMENTS_PER_MERCHANT_PER_DAY, 10,000), 429 `quota-exceeded` with Retry-After, nothing changed (P4.4).")
            .ProducesProblems(400, 409);
        group.MapGet("/{sku}/stock/movements", StockMovements).WithName("ListStockMovements").ForCaller(CallerScope.TheMerchantManagerOrOperator.ThatExists())
            .WithSummary("The product's stock movements, newest first, a page at a time (limit 1-200, default 50; cursor): delta, stock after, reason, staff member, order, time, and the operator who moved it on the merchant's behalf (operatorId; P1.7).")
            .WithDescription("Sales and their returns are listed with their order. nextCursor is null only on the last page: however many movements come after one, it stays reachable. A cashier gets 403.")
            .ProducesProblems(400);
        return group;
    }

    private static async Task<Created<Product>> AddProduct(string merchantId, AddProductRequest request, ClaimsPrincipal caller, IClusterClient cluster)
    {
        // P1.7 (*reviewer*): an operator's add put a product (at a price of its choosing) into a merchant's catalogue unrecorded.
        await OperatorActAudit.RecordAsync(cluster, caller, OperatorActAudit.ProductAdded, new OperatorActDetail(MerchantId: merchantId, Sku: request.Sku));
        var product = await cluster.GetGrain<ICatalogueGrain>(merchantId)
            .AddBy(new Product(request.Sku, request.Name.Trim(), request.PriceFen, request.ImageUrl, default), request.Stock, caller.MerchantStaffId(), caller.OperatorId());
        return TypedResults.Created($"/v1/merchants/{merchantId}/products", product);
    }

    /// <summary>
    /// A page of the catalogue, keyed by SKU. One answer holding all 10,000 products would ask as many stock grains
    /// and build one answer that size for every till that reads it (P4.4).
    /// </summary>
    private static async Task<Ok<ItemPage<ProductListing>>> ListProducts(
        string merchantId, ClaimsPrincipal caller, IClusterClient cluster, [Range(1, ICatalogueGrain.MaxPageSize)] int? limit,
        [RegularExpression(SkuPattern)] string? cursor)
    {
        var page = await cluster.GetGrain<ICatalogueGrain>(merchantId).List(cursor, limit ?? ICatalogueGrain.MaxPageSize);
        // P4.4 (*reviewer*): who added and archived a product is the managers' trail, as the price changes are (a cashier gets
        // 403 there): a till reads the catalogue without the managers' staff ids or an operator's.
        IReadOnlyList<ProductListing> items = caller.IsInRole(Roles.Cashier)
            ? [.. page.Items.Select(product => product with { AddedBy = null, ArchivedBy = null })]
            : page.Items;
        return TypedResults.Ok(new ItemPage<ProductListing>(items, page.More ? page.Items[^1].Sku : null));
    }

    private static async Task<Ok<Product>> EditProduct(
        string merchantId, [RegularExpression(SkuPattern)] string sku, EditProductRequest request, ClaimsPrincipal caller, IClusterClient cluster)
    {
        // P1.7: a price change names its maker in the product's trail; an operator's edit of a name or image is kept here.
        await RecordOperatorActAsync(cluster, caller, OperatorActAudit.ProductEdited, merchantId, sku);
        return TypedResults.Ok(await cluster.GetGrain<ICatalogueGrain>(merchantId)
            .EditBy(sku, new ProductEdit(request.Name?.Trim(), request.PriceFen, request.ImageUrl), caller.MerchantStaffId(), caller.OperatorId()));
    }

    private static async Task<Results<Ok<ItemPage<PriceChange>>, ValidationProblem>> PriceChanges(
        string merchantId, [RegularExpression(SkuPattern)] string sku, IClusterClient cluster,
        [Range(1, ICatalogueGrain.MaxPriceChangePage)] int? limit, [StringLength(64)] string? cursor)
    {
        if (cursor is not null && !EntityId.IsWellFormed(cursor, EntityId.PriceChangePrefix))
        {
            return ListingProblems.CursorNotGiven();
        }

        var pageSize = limit ?? 50;
        // One more than the page, to know whether another follows.
        var rows = await cluster.GetGrain<ICatalogueGrain>(merchantId).PriceChanges(sku, cursor, pageSize + 1);
        return TypedResults.Ok(ItemPage.OfOneMoreThan(rows, pageSize, change => change.ChangeId));
    }

    private static async Task<NoContent> ArchiveProduct(string merchantId, [RegularExpression(SkuPattern)] string sku, ClaimsPrincipal caller, IClusterClient cluster)
    {
        await RecordOperatorActAsync(cluster, caller, OperatorActAudit.ProductArchived, merchantId, sku);
        await cluster.GetGrain<ICatalogueGrain>(merchantId).ArchiveBy(sku, caller.MerchantStaffId(), caller.OperatorId());
        return TypedResults.NoContent();
    }

    /// <summary>
    /// An operator's act on a product of the catalogue, written to the audit log before it is done (P1.7), once the product
    /// is found: 404 <c>product-not-found</c> for a SKU the catalogue has not, with nothing written. P4.4 (*reviewer*): the
    /// entry came first, so a leaked operator key looping made-up SKUs wrote a lasting row for each 404, every one under the
    /// audit log's lock that every support call and data-rights step waits on. Anyone else's act writes nothing here.
    /// </summary>
    private static async Task RecordOperatorActAsync(IClusterClient cluster, ClaimsPrincipal caller, string action, string merchantId, string sku)
    {
        if (!caller.IsInRole(Roles.Operator))
        {
            return;
        }

        // The catalogue's cheapest answer that looks the SKU up (its state, then one row of the product's price changes).
        _ = await cluster.GetGrain<ICatalogueGrain>(merchantId).PriceChanges(sku, null, 1);
        await OperatorActAudit.RecordAsync(cluster, caller, action, new OperatorActDetail(MerchantId: merchantId, Sku: sku));
    }

    private static async Task<Ok<StockLevel>> AdjustStock(
        string merchantId, [RegularExpression(SkuPattern)] string sku, AdjustStockRequest request, ClaimsPrincipal caller, IClusterClient cluster,
        [FromHeader(Name = OrdersApi.IdempotencyHeader)] string? idempotencyKey)
    {
        // P1.6, P4.4 (*reviewer*): each of the merchant's keys, and each operator, has keys of its own, as payments and
        // top-ups do: shared, manager B's delivery under a key manager A had used for the same delta was answered with A's old
        // count, nothing moved and no movement kept.
        var operationId = string.IsNullOrEmpty(idempotencyKey)
            ? EntityId.NewInTimeOrder(EntityId.StockMovementPrefix)
            : StockAdjustment.ForKey(caller.IdempotencyScope(), idempotencyKey);
        var stock = await cluster.GetGrain<ICatalogueGrain>(merchantId)
            .AdjustStock(sku, new StockAdjustment(operationId, request.Delta, request.Reason, caller.MerchantStaffId(), OperatorId: caller.OperatorId(),
                PreviousOperationId: string.IsNullOrEmpty(idempotencyKey) ? null : StockAdjustment.ForPreviousKey(idempotencyKey)));
        return TypedResults.Ok(new StockLevel(sku, stock));
    }

    private static async Task<Results<Ok<ItemPage<StockMovement>>, NotFound, ValidationProblem>> StockMovements(
        string merchantId, [RegularExpression(SkuPattern)] string sku, IClusterClient cluster, [Range(1, 200)] int? limit, [StringLength(64)] string? cursor)
    {
        // A SKU of another shape was never sold: it finds no movement, and never reaches the table's query.
        if (!System.Text.RegularExpressions.Regex.IsMatch(sku, SkuPattern))
        {
            return TypedResults.NotFound();
        }

        // P4.4: the cursor is the last movement of the page before. The newest 200 alone, with no next page, let anyone at the
        // till bury a manager's write-off under 200 sales and returns of their own.
        if (cursor is not null && !EntityId.IsWellFormed(cursor, EntityId.StockMovementPrefix))
        {
            return ListingProblems.CursorNotGiven();
        }

        var pageSize = limit ?? 50;
        // One more than the page, to know whether another follows.
        var rows = await cluster.GetGrain<IProductStockGrain>(IProductStockGrain.KeyOf(merchantId, sku)).MovementsBefore(cursor, pageSize + 1);
        return TypedResults.Ok(ItemPage.OfOneMoreThan(rows, pageSize, movement => movement.MovementId));
    }

    private const string SkuPattern = "^[A-Za-z0-9._-]{1,64}$";
}

/// <summary>Body of <c>POST /v1/merchants/{merchantId}/products</c>; without <c>stock</c> the product is not stock-tracked.</summary>
public sealed record AddProductRequest(
    [property: Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "1-64 letters, digits, '.', '_' or '-'.")] string Sku,
    [property: Required, StringLength(100, MinimumLength = 1), PlainText] string Name,
    [property: Range(1, ICatalogueGrain.MaxPriceFen, ErrorMessage = "Prices are 1 to 100000000 fen.")] long PriceFen,
    [property: HttpUrl, StringLength(512)] string? ImageUrl = null,
    [property: Range(0, ICatalogueGrain.MaxStock)] int? Stock = null);

/// <summary>Body of <c>PATCH /v1/merchants/{merchantId}/products/{sku}</c>: the fields to change.</summary>
public sealed record EditProductRequest(
    [property: NotBlank, StringLength(100, MinimumLength = 1), PlainText] string? Name = null,
    [property: Range(1, ICatalogueGrain.MaxPriceFen, ErrorMessage = "Prices are 1 to 100000000 fen.")] long? PriceFen = null,
    [property: HttpUrl, StringLength(512)] string? ImageUrl = null);

/// <summary>Body of <c>POST /v1/merchants/{merchantId}/products/{sku}/stock</c>.</summary>
public sealed record AdjustStockRequest(
    [property: Range(-ICatalogueGrain.MaxStock, ICatalogueGrain.MaxStock)] int Delta,
    [property: AllowedValues(StockReason.Delivery, StockReason.StockTake, StockReason.Damage, StockReason.Other, ErrorMessage = "delivery, stock-take, damage or other.")] StockReason Reason);

/// <summary>A product's stock after an adjustment.</summary>
public sealed record StockLevel(string Sku, int Stock);
