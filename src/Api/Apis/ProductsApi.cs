using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MeiLing.Api.Security;
using MeiLing.Api.Validation;
using MeiLing.Grains.Catalogue;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>A merchant's catalogue: the only source of the prices orders are totalled from.</summary>
public static class ProductsApi
{
    public static RouteGroupBuilder MapProductsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/merchants/{merchantId:id}/products").WithTags("Merchant app");

        group.MapPost("/", AddProduct).ForCaller(CallerScope.TheMerchantOrOperator)
            .WithName("AddProduct").WithSummary("Add a product (sku, name, price in fen).");
        group.MapGet("/", ListProducts).ForCaller(CallerScope.TheMerchantOrOperator.ThatExists())
            .WithName("ListProducts").WithSummary("The merchant's products, by SKU.");
        return group;
    }

    private static async Task<Created<Product>> AddProduct(string merchantId, AddProductRequest request, IClusterClient cluster)
    {
        var product = await cluster.GetGrain<ICatalogueGrain>(merchantId)
            .Add(new Product(request.Sku, request.Name.Trim(), request.PriceFen, request.ImageUrl, default));
        return TypedResults.Created($"/v1/merchants/{merchantId}/products", product);
    }

    private static async Task<Ok<ItemPage<Product>>> ListProducts(string merchantId, IClusterClient cluster) =>
        TypedResults.Ok(ItemPage.Last(await cluster.GetGrain<ICatalogueGrain>(merchantId).List()));
}

/// <summary>Body of <c>POST /v1/merchants/{merchantId}/products</c>.</summary>
public sealed record AddProductRequest(
    [property: Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "1-64 letters, digits, '.', '_' or '-'.")] string Sku,
    [property: Required, StringLength(100, MinimumLength = 1)] string Name,
    [property: Range(1, ICatalogueGrain.MaxPriceFen, ErrorMessage = "Prices are 1 to 100000000 fen.")] long PriceFen,
    [property: HttpUrl, StringLength(512)] string? ImageUrl = null);
