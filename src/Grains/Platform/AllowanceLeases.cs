using System.Collections.Concurrent;
using MeiLing.Grains.Staff;
using Microsoft.Extensions.Options;

namespace MeiLing.Grains.Platform;

/// <summary>
/// This silo's share of a merchant's day of sales (walk-in sales, orders for users): uses taken from the merchant's
/// allowance grain a block at a time (<see cref="IDailyAllowanceGrain.TakeBlock"/>) and handed out here without a grain
/// call. Asked once per sale, the one activation counting a busy merchant's day queued every till behind its turn and its
/// writes; now one sale in a block asks it. What a silo holds unused is spent for good: the day across the cluster is
/// never passed but for a silo whose clock runs behind handing out what it holds a little into the next day, and is
/// refused early by at most a block and a half per silo (a tenth of a percent of a day of a hundred thousand).
/// Days small enough that a block would be a large share of them are counted a use at a time, as before.
/// </summary>
public sealed class AllowanceLeases(IGrainFactory grains, IOptions<StaffSettings> settings, TimeProvider clock)
{
    /// <summary>The most uses a silo takes at once.</summary>
    public const int LargestBlock = 100;

    /// <summary>How many leases are kept before those of days already over are let go.</summary>
    private const int LeasesKeptBeforeSweep = 10_000;

    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);

    private long _nextSweepTicks;

    /// <summary>
    /// A block a silo takes of a day of <paramref name="perDay"/>: a thousandth of it, between one use and
    /// <see cref="LargestBlock"/>.
    /// </summary>
    public static int BlockOf(int perDay) => Math.Clamp(perDay / 1000, 1, LargestBlock);

    /// <summary>
    /// Takes one of <paramref name="merchantId"/>'s sales of <paramref name="kind"/> today, from this silo's lease when it
    /// holds one; 429 <c>quota-exceeded</c> when the day is spent.
    /// </summary>
    public async Task TakeSaleAsync(DailyAllowanceKind kind, string merchantId)
    {
        var block = BlockOf(kind switch
        {
            DailyAllowanceKind.WalkInSalesByMerchant => settings.Value.WalkInSalesPerMerchantPerDay,
            DailyAllowanceKind.UserOrdersByMerchant => settings.Value.UserOrdersPerMerchantPerDay,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a day of sales."),
        });
        if (block == 1)
        {
            await grains.TakeWhereKnownAsync(kind, merchantId);
            return;
        }

        var key = IDailyAllowanceGrain.KeyOf(kind, merchantId);
        while (true)
        {
            var lease = _leases.GetOrAdd(key, static _ => new Lease());
            var (taken, refill) = lease.TryTake(clock.GetUtcNow(), block, () => Refill(key, block, lease));
            if (taken)
            {
                return;
            }

            // Every sale that found the lease empty waits on the one refill: asked each its own block, they queued on the
            // allowance grain behind each other's writes (a quarter of a second at 64 tills). No refill: the lease was let
            // go by the sweep meanwhile, and the sale takes from the one that replaces it.
            if (refill is not null && await refill is { } refused)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(refused);
            }
        }
    }

    // On the thread pool, not in the turn of the grain whose sale started it, and carrying none of that sale's context
    // (request context, trace): sales of other grains wait on it too, and a refill started ahead of need is awaited by
    // nobody. Never throws: what refused it is handed to those waiting.
    private Task<Exception?> Refill(string key, int block, Lease lease)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(async () =>
            {
                try
                {
                    lease.Keep(await grains.GetGrain<IDailyAllowanceGrain>(key).TakeBlock(block), clock.GetUtcNow());
                    SweepNowAndThen();
                    return null;
                }
                catch (Exception refused)
                {
                    lease.RefillEnded();
                    return refused;
                }
            });
        }
    }

    // At most once a minute, and only with many leases: the leases of days over and empty are let go.
    private void SweepNowAndThen()
    {
        var now = clock.GetUtcNow();
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (_leases.Count <= LeasesKeptBeforeSweep || now.UtcTicks < due
            || Interlocked.CompareExchange(ref _nextSweepTicks, now.UtcTicks + SweepEvery.Ticks, due) != due)
        {
            return;
        }

        foreach (var entry in _leases)
        {
            if (entry.Value.TryRetire(now))
            {
                _leases.TryRemove(entry);
            }
        }
    }

    /// <summary>The uses of one party's day this silo holds and has not handed out, and the refill under way.</summary>
    private sealed class Lease
    {
        /// <summary>How much later than the lease's a block's day must end to be of the next day, not the same day read late.</summary>
        private static readonly TimeSpan NextDay = TimeSpan.FromMinutes(1);

        private readonly Lock _gate = new();
        private int _left;
        private DateTimeOffset _dayEnds = DateTimeOffset.MinValue;
        private Task<Exception?>? _refill;
        private bool _retired;

        /// <summary>
        /// Takes a use when one is held, starting the next block's refill once half of a block is left, so that busy tills
        /// seldom find the lease empty; otherwise the refill to wait on (started by the first to find it empty), or none
        /// when the lease was retired and the caller is to take from its successor.
        /// </summary>
        public (bool Taken, Task<Exception?>? Refill) TryTake(DateTimeOffset now, int block, Func<Task<Exception?>> startRefill)
        {
            lock (_gate)
            {
                if (_retired)
                {
                    return (false, null);
                }

                if (_left > 0 && now < _dayEnds)
                {
                    _left--;
                    if (_left <= block / 2 && _refill is null)
                    {
                        _refill = startRefill();
                    }

                    return (true, null);
                }

                _refill ??= startRefill();
                return (false, _refill);
            }
        }

        /// <summary>
        /// Keeps a block taken, its day's end read by this silo's clock; a block of a later day replaces what is left of the
        /// last. A block of the same day read a little later only moves the end (never a refill loop at the day's turn
        /// between two silos' clocks).
        /// </summary>
        public void Keep(AllowanceBlock block, DateTimeOffset now)
        {
            lock (_gate)
            {
                var dayEnds = now + block.DayLeft;
                if (dayEnds > _dayEnds + NextDay)
                {
                    _left = 0;
                }

                _dayEnds = dayEnds;
                _left += block.Granted;
                _refill = null;
            }
        }

        public void RefillEnded()
        {
            lock (_gate)
            {
                _refill = null;
            }
        }

        /// <summary>Retires the lease if it holds nothing of a day still running and no refill is under way.</summary>
        public bool TryRetire(DateTimeOffset now)
        {
            lock (_gate)
            {
                _retired = _refill is null && (_left == 0 || now >= _dayEnds);
                return _retired;
            }
        }
    }
}
