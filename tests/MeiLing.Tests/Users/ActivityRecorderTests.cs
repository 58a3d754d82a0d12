using MeiLing.Api.Activity;
using MeiLing.Grains.Activity;

namespace MeiLing.Tests.Users;

/// <summary>What the API holds of users' requests until the flusher sends them to the activity log (P1.3).</summary>
public sealed class ActivityRecorderTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 4, 12, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void P1_3_a_request_repeated_before_the_flush_is_held_once_with_every_request_counted_and_its_first_and_last_time()
    {
        var recorder = new ActivityRecorder();
        for (var i = 1; i <= 1_000; i++)
        {
            recorder.Record(Request("/v1/users/usr_1/consents", Noon.AddMilliseconds(i)));
        }

        // Two threads record concurrently, so a request may come in a moment before one recorded earlier.
        recorder.Record(Request("/v1/users/usr_1/consents", Noon));

        var entry = Assert.Single(recorder.TakeBatch());
        Assert.Equal(1_001, entry.Requests);
        Assert.Equal(Noon, entry.At);
        Assert.Equal(Noon.AddMilliseconds(1_000), entry.Until);
        Assert.Empty(recorder.TakeBatch());
    }

    [Fact]
    public void P1_3_requests_that_differ_are_held_apart_as_recorded_in_the_order_they_came()
    {
        var recorder = new ActivityRecorder();
        var first = Request("/v1/orders", Noon);
        ActivityEntry[] recorded =
        [
            first,
            first with { UserId = "usr_2" },
            first with { Path = "/v1/products", SearchTerms = "乌龙" },
            first with { IpAddress = null, UserAgent = null, Language = null, OperatingSystem = null },
            first with { At = Noon.AddSeconds(1), UserAgent = "MeiLingPOS/3.3" },
        ];

        foreach (var entry in recorded)
        {
            recorder.Record(entry);
        }

        Assert.Equal(recorded, recorder.TakeBatch());
    }

    [Fact]
    public async Task P1_3_a_batch_of_BatchSize_distinct_requests_is_signalled_at_once_and_the_next_starts_empty()
    {
        var recorder = new ActivityRecorder();
        Assert.False(recorder.Arrived.IsCompleted);

        for (var i = 0; i < ActivityRecorder.BatchSize; i++)
        {
            recorder.Record(Request($"/v1/orders/{i}", Noon));
            Assert.Equal(i == ActivityRecorder.BatchSize - 1, recorder.Filled.IsCompleted);
        }

        await recorder.Arrived;
        Assert.Equal(ActivityRecorder.BatchSize, recorder.TakeBatch().Count);
        Assert.False(recorder.Filled.IsCompleted);
        Assert.False(recorder.Arrived.IsCompleted);

        recorder.Record(Request("/v1/orders/0", Noon));
        await recorder.Arrived;
        Assert.Equal(1, Assert.Single(recorder.TakeBatch()).Requests);
    }

    [Fact]
    public void P1_3_P4_4_a_log_the_cluster_does_not_take_stays_bounded_and_still_counts_repeats_of_what_it_holds()
    {
        var recorder = new ActivityRecorder();
        for (var i = 0; i <= ActivityRecorder.Capacity; i++)
        {
            recorder.Record(Request($"/v1/orders/{i}", Noon));
        }

        recorder.Record(Request("/v1/orders/0", Noon.AddSeconds(1)));

        Assert.Equal(1, recorder.Dropped);
        var held = recorder.TakeBatch();
        Assert.Equal(ActivityRecorder.Capacity, held.Count);
        Assert.Equal(2, held[0].Requests);
        Assert.DoesNotContain(held, entry => entry.Path == $"/v1/orders/{ActivityRecorder.Capacity}");
    }

    private static ActivityEntry Request(string path, DateTimeOffset at) =>
        new("usr_1", at, "10.1.2.3", "MeiLingPOS/3.2", "zh-CN", "Android", path, null);
}
