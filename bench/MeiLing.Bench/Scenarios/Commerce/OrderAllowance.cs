using MeiLing.Bench.Options;

namespace MeiLing.Bench.Scenarios.Commerce;

/// <summary>
/// The platform's default allowance of orders one merchant places for one user a day
/// (<c>MEILING_MERCHANT_ORDERS_PER_USER_PER_DAY</c>, 500), and how the bench stays under it without lifting it: the
/// order load goes to enough customers, and a user with more orders than that gets them from several merchants.
/// </summary>
public static class OrderAllowance
{
    /// <summary>The platform's default; a 429 <c>too-many-orders</c> beyond it.</summary>
    public const int PerMerchantPerUserPerDay = 500;

    /// <summary>What a load plans per customer: a tenth below the allowance, for slices of uneven length.</summary>
    public const int PlannedPerCustomer = 450;

    /// <summary>The fastest order rate a load plans for: about twice the best measured here (docs/performance.md).</summary>
    public const int MaxOrdersPerSecond = 10_000;

    /// <summary>Customers enough for <paramref name="seconds"/> of order load at <see cref="MaxOrdersPerSecond"/>.</summary>
    public static int CustomersFor(double seconds) => CustomersForOrders((long)Math.Ceiling(seconds * MaxOrdersPerSecond));

    /// <summary>Customers enough for the order load of a run: its warm-up and measurement at every concurrency.</summary>
    public static int CustomersFor(BenchOptions options)
    {
        var measured = options.Requests ?? (long)Math.Ceiling(options.Duration.TotalSeconds * MaxOrdersPerSecond);
        var warmup = (long)Math.Ceiling(options.Warmup.TotalSeconds * MaxOrdersPerSecond);
        return CustomersForOrders(options.Concurrency.Count * (measured + warmup));
    }

    /// <summary>How many merchants place <paramref name="orders"/> orders for one user within the allowance.</summary>
    public static int MerchantsFor(int orders) => (orders + PerMerchantPerUserPerDay - 1) / PerMerchantPerUserPerDay;

    private static int CustomersForOrders(long orders) => (int)Math.Max(1, (orders + PlannedPerCustomer - 1) / PlannedPerCustomer);
}
