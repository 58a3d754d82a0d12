using System.Text.Json;
using MeiLing.Bench.Http;

namespace MeiLing.Bench.Scenarios.Commerce;

/// <summary>A merchant whose order listing was seeded with <see cref="Orders"/> rows, and a cursor deep into it.</summary>
public sealed record SeededMerchant(Merchant Merchant, int Orders, string DeepCursor, int DeepPageNumber)
{
    public const int PageSize = 20;

    public static async Task<SeededMerchant> CreateAsync(BenchContext context, int orders, int deepPage, CancellationToken cancellationToken)
    {
        var merchant = await Merchant.CreateAsync(context.Api, $"bench listing {orders:N0}", cancellationToken);
        await OrderIndexSeeder.SeedAsync(context.Options.Postgres, merchant.MerchantId, orders, cancellationToken);
        var cursor = "";
        var page = 0;
        while (page < deepPage)
        {
            var next = await context.Api.CallAsync(
                ApiRequests.ListOrders(merchant.MerchantId, merchant.ApiKey, PageSize, page == 0 ? null : cursor),
                WireJson.Default.OrderPageBody, cancellationToken);
            if (next.NextCursor is null)
            {
                break;
            }

            cursor = next.NextCursor;
            page++;
        }

        return new SeededMerchant(merchant, orders, cursor, page + 1);
    }

    public HttpRequestMessage FirstPageRequest() => ApiRequests.ListOrders(Merchant.MerchantId, Merchant.ApiKey, PageSize, null);

    public HttpRequestMessage DeepPageRequest() => ApiRequests.ListOrders(Merchant.MerchantId, Merchant.ApiKey, PageSize, DeepCursor);
}
