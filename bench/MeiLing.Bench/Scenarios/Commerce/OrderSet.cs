using MeiLing.Bench.Http;

namespace MeiLing.Bench.Scenarios.Commerce;

/// <summary>
/// Orders placed in setup for the read and payment scenarios. Each worker takes its own slice (orders
/// w, w+N, …), so no two workers queue on the same order grain.
/// </summary>
public sealed class OrderSet(IReadOnlyList<string> orderIds)
{
    private const int SetupParallelism = 8;

    public int Count => orderIds.Count;

    public string For(WorkerContext worker)
    {
        var slice = (Count - worker.Index + worker.Concurrency - 1) / worker.Concurrency;
        return orderIds[worker.Index + (worker.Concurrency * (int)(worker.Sequence % slice))];
    }

    public static async Task<OrderSet> PlaceAsync(
        ApiClient api, Merchant merchant, IReadOnlyList<PoolUser> users, int count, Func<string, Random, PlaceOrderBody> order,
        CancellationToken cancellationToken)
    {
        var ids = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var placed = await merchant.PlaceAsync(api, order(users[i % users.Count].UserId, new Random(i)), ct);
                ids[i] = placed.OrderId;
            });
        return new OrderSet(ids);
    }
}
