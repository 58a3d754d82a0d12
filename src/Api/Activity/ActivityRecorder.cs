using MeiLing.Grains.Activity;

namespace MeiLing.Api.Activity;

/// <summary>
/// Collects signed-in users' requests for the activity log (P1.3) without holding them up: a request only adds itself
/// to the batch in memory; <see cref="ActivityFlusher"/> takes the batch when it holds <see cref="BatchSize"/> distinct
/// requests, or half a second after its first, and sends it to the cluster.
/// </summary>
/// <remarks>
/// A request repeated within a batch (the same user, address, browser, path and search) is counted on the entry its
/// first made, as <see cref="ActivityCoalescing"/> would fold it at the flush: a client polling a route holds one entry
/// until the flush, not one per request. Held one per request, a busy API's entries waited up to half a second,
/// outlived the collector's youngest generation and were copied on by its collections (docs/performance.md,
/// twenty-third round).
/// </remarks>
public sealed class ActivityRecorder
{
    /// <summary>The distinct requests one batch holds, and one flush sends at most.</summary>
    public const int BatchSize = 5_000;

    /// <summary>The distinct requests waiting at most; beyond, a new one is dropped (a repeated one is still counted).</summary>
    public const int Capacity = 50_000;

    private readonly Lock _gate = new();
    private Batch _filling = new();
    private Batch? _spare = new();
    private TaskCompletionSource _arrived = NewSignal();
    private TaskCompletionSource _filled = NewSignal();
    private long _dropped;

    /// <summary>Completes once a request waits to be taken.</summary>
    public Task Arrived
    {
        get
        {
            lock (_gate)
            {
                return _arrived.Task;
            }
        }
    }

    /// <summary>Completes once the batch holds <see cref="BatchSize"/> distinct requests.</summary>
    public Task Filled
    {
        get
        {
            lock (_gate)
            {
                return _filled.Task;
            }
        }
    }

    /// <summary>Requests dropped so far because <see cref="Capacity"/> distinct ones were waiting: the cluster took none for a while.</summary>
    public long Dropped
    {
        get
        {
            lock (_gate)
            {
                return _dropped;
            }
        }
    }

    public void Record(ActivityEntry entry)
    {
        lock (_gate)
        {
            switch (_filling.Add(entry))
            {
                case Added.Dropped:
                    _dropped++;
                    return;
                case Added.New when _filling.Count == BatchSize:
                    _filled.TrySetResult();
                    break;
            }

            _arrived.TrySetResult();
        }
    }

    /// <summary>The requests waiting, each repeated one once with its count and its first and last time; empty when none.</summary>
    public IReadOnlyList<ActivityEntry> TakeBatch()
    {
        Batch taken;
        lock (_gate)
        {
            if (_filling.Count == 0)
            {
                return [];
            }

            taken = _filling;
            _filling = _spare ?? new Batch();
            _spare = null;
            if (_filled.Task.IsCompleted)
            {
                _filled = NewSignal();
            }

            if (_arrived.Task.IsCompleted)
            {
                _arrived = NewSignal();
            }
        }

        // Read outside the lock: requests go on recording into the other batch meanwhile. The taken batch becomes the
        // spare once read and cleared; a take before that starts a new one. One that grew past a batch while the cluster
        // took nothing is let go instead, so a burst's backlog does not keep its room for the life of the process.
        var entries = taken.ToEntries();
        if (entries.Count <= BatchSize)
        {
            taken.Clear();
            lock (_gate)
            {
                _spare = taken;
            }
        }

        return entries;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private enum Added
    {
        New,
        Counted,
        Dropped,
    }

    /// <summary>The distinct requests of one batch in the order they first came, each with its count and last time.</summary>
    private sealed class Batch
    {
        private readonly Dictionary<ActivityCoalescing.RequestShape, int> _index = [];
        private readonly List<ActivityEntry> _entries = [];

        public int Count => _entries.Count;

        public Added Add(ActivityEntry entry)
        {
            var shape = ActivityCoalescing.RequestShape.Of(entry);
            if (entry.Overflow is null && _index.TryGetValue(shape, out var at))
            {
                _entries[at] = ActivityCoalescing.Fold(_entries[at], entry);
                return Added.Counted;
            }

            if (_entries.Count >= Capacity)
            {
                return Added.Dropped;
            }

            if (entry.Overflow is null)
            {
                _index[shape] = _entries.Count;
            }

            _entries.Add(entry);
            return Added.New;
        }

        public List<ActivityEntry> ToEntries() => [.. _entries];

        public void Clear()
        {
            _index.Clear();
            _entries.Clear();
        }
    }
}
