using System.Diagnostics.Tracing;

namespace MeiLing.ServiceDefaults;

/// <summary>
/// Every collector pause of this process, timed from the runtime's own events (threads suspended to threads restarted):
/// the longest since start, and the last long ones with when they were, so a latency spike at a known moment can be
/// told apart from a collection. Totals alone (<see cref="GC.GetTotalPauseDuration"/>) hide one long pause among many
/// short ones. A handful of events per collection, on the runtime's own dispatch thread; one per process.
/// </summary>
public sealed class GcPauseWatch : EventListener
{
    /// <summary>A pause this long or longer is kept with its moment.</summary>
    public static readonly TimeSpan Long = TimeSpan.FromMilliseconds(10);

    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int GcStart = 1;
    private const int RestartEngineEnd = 3;
    private const int SuspendEngineBegin = 9;
    private const uint SuspendForGc = 1;
    private const uint SuspendForGcPrep = 6;
    private const int Kept = 32;

    private static readonly Lazy<GcPauseWatch> Instance = new(() => new GcPauseWatch());

    private readonly Lock _gate = new();
    private readonly Queue<GcPause> _long = new();
    private DateTime? _suspendedAt;
    private int _generation;
    private TimeSpan _longest;

    private GcPauseWatch()
    {
    }

    /// <summary>The process's watch, started on first use.</summary>
    public static GcPauseWatch Shared => Instance.Value;

    public TimeSpan Longest
    {
        get
        {
            lock (_gate)
            {
                return _longest;
            }
        }
    }

    /// <summary>The last long pauses (at most 32), oldest first.</summary>
    public IReadOnlyList<GcPause> LongPauses()
    {
        lock (_gate)
        {
            return [.. _long];
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Informational, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        switch (eventData.EventId)
        {
            case GcStart when eventData.Payload is [_, var depth, ..]:
                _generation = Convert.ToInt32(depth, System.Globalization.CultureInfo.InvariantCulture);
                break;
            // Threads are suspended for other reasons too (tiered compilation's call counting, a debugger): only a
            // collection's, or its preparation's, count as its pause.
            case SuspendEngineBegin:
                _suspendedAt = eventData.Payload is [var reason, ..] && Convert.ToUInt32(reason, System.Globalization.CultureInfo.InvariantCulture) is SuspendForGc or SuspendForGcPrep
                    ? eventData.TimeStamp
                    : null;
                break;
            case RestartEngineEnd when _suspendedAt is { } suspendedAt:
                _suspendedAt = null;
                Record(suspendedAt, eventData.TimeStamp - suspendedAt);
                break;
        }
    }

    private void Record(DateTime at, TimeSpan pause)
    {
        lock (_gate)
        {
            if (pause > _longest)
            {
                _longest = pause;
            }

            if (pause >= Long)
            {
                _long.Enqueue(new GcPause(new DateTimeOffset(at.ToUniversalTime()), Math.Round(pause.TotalMilliseconds, 2), _generation));
                if (_long.Count > Kept)
                {
                    _long.Dequeue();
                }
            }
        }
    }
}

/// <summary>One long collector pause: when the threads were suspended, for how long (ms), and the generation collected.</summary>
public sealed record GcPause(DateTimeOffset At, double Ms, int Generation);
