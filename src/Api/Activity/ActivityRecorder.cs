using System.Threading.Channels;
using MeiLing.Grains.Activity;

namespace MeiLing.Api.Activity;

/// <summary>
/// Collects signed-in users' requests for the activity log (P1.3) without holding them up: a request
/// only writes to a bounded in-memory channel; <see cref="ActivityFlusher"/> sends batches to the cluster.
/// </summary>
public sealed class ActivityRecorder
{
    public const int Capacity = 50_000;

    private readonly Channel<ActivityEntry> _pending = Channel.CreateBounded<ActivityEntry>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    public void Record(ActivityEntry entry) => _pending.Writer.TryWrite(entry);

    internal ChannelReader<ActivityEntry> Pending => _pending.Reader;
}
