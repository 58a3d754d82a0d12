using MeiLing.Bench.Http;
using MeiLing.Bench.Options;
using MeiLing.Bench.Scenarios.Commerce;

namespace MeiLing.Bench.Scenarios;

/// <summary>
/// What scenarios share during one run: the options, a setup client, and setup products made once and
/// only when a scenario asks for them (the user pool, the policy version).
/// </summary>
public sealed class BenchContext(BenchOptions options, ApiClient api, TextWriter log)
{
    /// <summary>Published when the system has no policy yet, so consents can name a version.</summary>
    public const string FallbackPolicyVersion = "bench-1";

    private readonly Lock _gate = new();
    private Task<UserPool>? _users;
    private Task<UserPool>? _customers;
    private Task<string>? _policyVersion;
    private Task<Merchant>? _merchant;
    private readonly Dictionary<int, Task<SeededMerchant>> _listingMerchants = [];

    public BenchOptions Options { get; } = options;

    public ApiClient Api { get; } = api;

    public TextWriter Log { get; } = log;

    /// <summary>At least as many users as the highest concurrency, so every worker has a slice of its own.</summary>
    public int PoolSize => Math.Max(Options.Users, Options.Concurrency.Max());

    public Task<UserPool> UsersAsync(CancellationToken cancellationToken) =>
        Once(ref _users, async () =>
        {
            Log.WriteLine($"  setup: registering and signing in {PoolSize} users…");
            var started = TimeProvider.System.GetTimestamp();
            var pool = await UserPool.CreateAsync(Api, PoolSize, cancellationToken);
            Log.WriteLine($"  setup: {pool.Count} users ready in {TimeProvider.System.GetElapsedTime(started).TotalSeconds:0.0} s");
            return pool;
        });

    /// <summary>
    /// Users the order load is placed for, registered but not signed in: enough that no merchant reaches the platform's
    /// daily allowance of orders for one user (<see cref="OrderAllowance"/>) at any concurrency of the run.
    /// </summary>
    public Task<UserPool> CustomersAsync(CancellationToken cancellationToken) =>
        Once(ref _customers, async () =>
        {
            var count = Math.Max(PoolSize, OrderAllowance.CustomersFor(Options));
            Log.WriteLine($"  setup: registering {count} customers to order for (at most {OrderAllowance.PlannedPerCustomer} orders each at {OrderAllowance.MaxOrdersPerSecond:N0}/s)…");
            var started = TimeProvider.System.GetTimestamp();
            var customers = await UserPool.CreateAsync(Api, count, cancellationToken, signIn: false);
            Log.WriteLine($"  setup: {customers.Count} customers ready in {TimeProvider.System.GetElapsedTime(started).TotalSeconds:0.0} s");
            return customers;
        });

    public Task<string> PolicyVersionAsync(CancellationToken cancellationToken) =>
        Once(ref _policyVersion, () => Api.EnsurePolicyVersionAsync(FallbackPolicyVersion, cancellationToken));

    /// <summary>The merchant the commerce scenarios share, with its small catalogue.</summary>
    public Task<Merchant> MerchantAsync(CancellationToken cancellationToken) =>
        Once(ref _merchant, () => Merchant.CreateAsync(Api, "bench shop", cancellationToken));

    /// <summary>A merchant whose listing holds <paramref name="orders"/> seeded rows; one per size per run.</summary>
    public Task<SeededMerchant> ListingMerchantAsync(int orders, int deepPage, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_listingMerchants.TryGetValue(orders, out var seeded) || seeded.IsFaulted || seeded.IsCanceled)
            {
                Log.WriteLine($"  setup: seeding a merchant with {orders:N0} orders into order_index via COPY…");
                seeded = SeededMerchant.CreateAsync(this, orders, deepPage, CancellationToken.None);
                _listingMerchants[orders] = seeded;
            }

            return seeded;
        }
    }

    private Task<T> Once<T>(ref Task<T>? slot, Func<Task<T>> create)
    {
        lock (_gate)
        {
            // A failed attempt is retried by the next scenario that asks.
            if (slot is null || slot.IsFaulted || slot.IsCanceled)
            {
                slot = create();
            }

            return slot;
        }
    }
}
