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
/// <para>A day the allowance grain refused is known spent on this silo until it ends
/// (<see cref="ThrowIfKnownSpent(DailyAllowanceKind, string)"/>): a sale asked again after the refusal is refused here,
/// with no grain call and before its order takes any stock.</para>
/// </summary>
public sealed class AllowanceLeases(IGrainFactory grains, IOptions<StaffSettings> settings, TimeProvider clock)
{
    /// <summary>The most uses a silo takes at once.</summary>
    public const int LargestBlock = 100;

    /// <summary>How many leases are kept before those of days already over are let go.</summary>
    private const int LeasesKeptBeforeSweep = 10_000;

    /// <summary>The code of the allowance grain's refusal of a day spent.</summary>
    private const string Spent = "quota-exceeded";

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
        var key = IDailyAllowanceGrain.KeyOf(kind, merchantId);
        ThrowIfKnownSpent(key);
        if (block == 1)
        {
            var asked = clock.GetUtcNow();
            try
            {
                await grains.TakeWhereKnownAsync(kind, merchantId);
            }
            catch (DomainException refused) when (SpentDayOf(refused, asked) is { } day)
            {
                // A day counted a use at a time has no lease of uses: one holds only what the refusal said.
                _leases.GetOrAdd(key, static _ => new Lease()).KnowSpent(day.Ends, day.Refusal);
                SweepNowAndThen();
                throw;
            }

            return;
        }

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

    /// <summary>
    /// 429 <c>quota-exceeded</c>, as <see cref="TakeSaleAsync"/> would answer, when the allowance grain refused
    /// <paramref name="merchantId"/>'s day of <paramref name="kind"/> on this silo, the day has not ended and this silo holds
    /// none of it; otherwise nothing. Takes nothing and calls no grain: asked before an order takes its stock, so an order
    /// refused for a spent day writes no stock and no movement, where taking the stock and giving it back wrote each line's
    /// stock twice and two movements kept for good.
    /// </summary>
    public void ThrowIfKnownSpent(DailyAllowanceKind kind, string merchantId) => ThrowIfKnownSpent(IDailyAllowanceGrain.KeyOf(kind, merchantId));

    private void ThrowIfKnownSpent(string key)
    {
        if (_leases.TryGetValue(key, out var lease) && lease.KnownSpent(clock.GetUtcNow()) is { } spent)
        {
            // A new exception for each sale: one thrown by many sales at once would have its stack trace written by each.
            throw new DomainException(DomainErrorKind.TooManyRequests, Spent, spent.Refusal) { RetryAfter = spent.Left };
        }
    }

    // The end of the day a refusal says is spent, by this silo's clock: counted from before the call was made, so the memo
    // never outlasts the day as the counting silo reads it (but for the two clocks' difference, as the leases' own days).
    private static (DateTimeOffset Ends, string Refusal)? SpentDayOf(Exception refused, DateTimeOffset asked) =>
        refused is DomainException { Code: Spent, RetryAfter: { } left } ? (asked + left, refused.Message) : null;

    // On the thread pool, not in the turn of the grain whose sale started it, and carrying none of that sale's context
    // (request context, trace): sales of other grains wait on it too, and a refill started ahead of need is awaited by
    // nobody. Never throws: what refused it is handed to those waiting.
    private Task<Exception?> Refill(string key, int block, Lease lease)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(async () =>
            {
                var asked = clock.GetUtcNow();
                try
                {
                    lease.Keep(await grains.GetGrain<IDailyAllowanceGrain>(key).TakeBlock(block), clock.GetUtcNow());
                    SweepNowAndThen();
                    return null;
                }
                catch (Exception refused)
                {
                    // Known spent before the refill ends, so a sale arriving after it is refused here, not by another refill.
                    if (SpentDayOf(refused, asked) is { } day)
                    {
                        lease.KnowSpent(day.Ends, day.Refusal);
                    }

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
        private DateTimeOffset _spentUntil = DateTimeOffset.MinValue;

        // _spentUntil's ticks, read without the lock by every sale (*reviewer*): nearly always no day is known spent, and
        // the order's path then takes no lock for it.
        private long _spentUntilTicks = DateTimeOffset.MinValue.UtcTicks;
        private string _refusal = "";

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
                // A block granted is a day with uses left.
                _spentUntil = DateTimeOffset.MinValue;
                Volatile.Write(ref _spentUntilTicks, _spentUntil.UtcTicks);
            }
        }

        /// <summary>Remembers the allowance grain's refusal: the day is spent until <paramref name="until"/>.</summary>
        public void KnowSpent(DateTimeOffset until, string refusal)
        {
            lock (_gate)
            {
                _spentUntil = until;
                Volatile.Write(ref _spentUntilTicks, until.UtcTicks);
                _refusal = refusal;
            }
        }

        /// <summary>
        /// How long the day known spent has left, and its refusal; null when it is not known spent, or has ended, or when
        /// this lease still holds uses of it (taken before the refusal: they are handed out, not lost).
        /// </summary>
        public (TimeSpan Left, string Refusal)? KnownSpent(DateTimeOffset now)
        {
            if (now.UtcTicks >= Volatile.Read(ref _spentUntilTicks))
            {
                return null;
            }

            lock (_gate)
            {
                return now >= _spentUntil || (_left > 0 && now < _dayEnds) ? null : (_spentUntil - now, _refusal);
            }
        }

        public void RefillEnded()
        {
            lock (_gate)
            {
                _refill = null;
            }
        }

        /// <summary>
        /// Retires the lease if it holds nothing of a day still running, knows of no day spent that has not ended, and no
        /// refill is under way.
        /// </summary>
        public bool TryRetire(DateTimeOffset now)
        {
            lock (_gate)
            {
                _retired = _refill is null && (_left == 0 || now >= _dayEnds) && now >= _spentUntil;
                return _retired;
            }
        }
    }
}
