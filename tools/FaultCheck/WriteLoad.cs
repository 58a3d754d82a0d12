using System.Collections.Concurrent;
using System.Diagnostics;

namespace MeiLing.FaultCheck;

/// <summary>
/// Workers that write for a fixed time, each write recorded with its answer. Merchants and users are
/// written by separate workers: a registration costs a slow password hash, a merchant almost nothing.
/// </summary>
public sealed class WriteLoad(PlatformClient client, CheckOptions options, Stopwatch clock)
{
    private readonly ConcurrentQueue<WriteRecord> _records = new();

    // A run-unique block of mainland mobile numbers (139 + 8 digits), so that no registration meets a taken phone.
    private readonly long _phoneBase = Random.Shared.NextInt64(0, 90_000_000);
    private readonly string _runTag = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()));
    private readonly long[] _counts = new long[Enum.GetValues<WriteOutcome>().Length];
    private long _sequence;

    public IReadOnlyCollection<WriteRecord> Records => _records;

    /// <summary>How many writes have ended with <paramref name="outcome"/> so far.</summary>
    public long Count(WriteOutcome outcome) => Interlocked.Read(ref _counts[(int)outcome]);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(options.Duration - clock.Elapsed);
        var workers = Enumerable.Range(0, options.MerchantWorkers).Select(_ => WorkAsync(WriteKind.Merchant, stop.Token))
            .Concat(Enumerable.Range(0, options.UserWorkers).Select(_ => WorkAsync(WriteKind.User, stop.Token)));
        await Task.WhenAll(workers);
    }

    private async Task WorkAsync(WriteKind kind, CancellationToken stop)
    {
        // A new worker starts on a thread-pool thread, not inline with the others.
        await Task.Yield();
        while (!stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _sequence);
            var name = $"fc-{_runTag}-{n}";
            var started = clock.Elapsed;

            // The stop token is not passed on: a write in flight finishes and is recorded, so that an
            // acknowledgement is never dropped unread.
            var (outcome, id, detail) = kind == WriteKind.Merchant
                ? await client.CreateMerchantAsync(name, CancellationToken.None)
                : await client.RegisterUserAsync($"139{(_phoneBase + n) % 100_000_000:D8}", name, CancellationToken.None);
            _records.Enqueue(new WriteRecord(kind, started, clock.Elapsed, outcome, name, id, detail));
            Interlocked.Increment(ref _counts[(int)outcome]);

            if (outcome != WriteOutcome.Acknowledged)
            {
                // Refused writes come back at once; do not spin on them.
                await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
            }
        }
    }
}
