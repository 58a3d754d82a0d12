using MeiLing.Grains.Platform;

namespace MeiLing.Tests.Unit.Platform;

public sealed class GrainFanOutTests
{
    [Fact]
    public async Task Answers_come_back_in_the_order_of_the_ids_whatever_order_the_calls_finish_in()
    {
        var ids = Enumerable.Range(0, 100).Select(i => $"id-{i}").ToList();
        var finish = ids.ToDictionary(id => id, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));

        var gathering = GrainFanOut.CallEachAsync(ids, id => finish[id].Task, width: 100);
        foreach (var id in Enumerable.Reverse(ids))
        {
            finish[id].SetResult($"answer of {id}");
        }

        Assert.Equal(ids.Select(id => $"answer of {id}"), await gathering);
    }

    [Fact]
    public async Task At_most_width_calls_are_in_flight_and_a_slow_call_holds_up_only_its_own_lane()
    {
        var slow = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = 0;
        var mostInFlight = 0;
        var answered = 0;

        async Task<int> CallAsync(string id)
        {
            mostInFlight = Math.Max(mostInFlight, Interlocked.Increment(ref inFlight));
            try
            {
                if (id == "0")
                {
                    return await slow.Task;
                }

                await Task.Yield();
                Interlocked.Increment(ref answered);
                return int.Parse(id, System.Globalization.CultureInfo.InvariantCulture);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }

        var ids = Enumerable.Range(0, 50).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var gathering = GrainFanOut.CallEachAsync(ids, CallAsync, width: 4);

        // Every other call completes while the first is still out: the other three lanes carry on without it.
        await WaitUntilAsync(() => Volatile.Read(ref answered) == 49);
        Assert.False(gathering.IsCompleted);
        slow.SetResult(0);

        Assert.Equal(Enumerable.Range(0, 50), await gathering);
        Assert.InRange(mostInFlight, 1, 4);
    }

    [Fact]
    public async Task P4_4_streamed_answers_come_in_the_ids_order_and_no_more_than_width_ids_are_taken_ahead_of_the_reader()
    {
        var taken = 0;
        async IAsyncEnumerable<string> IdsAsync()
        {
            for (var i = 0; i < 50; i++)
            {
                await Task.Yield();
                taken++;
                yield return i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        async Task<int> CallAsync(string id)
        {
            // Later ids answer sooner: the order must come from the ids, not from the answers.
            await Task.Delay(50 - int.Parse(id, System.Globalization.CultureInfo.InvariantCulture) % 5);
            return int.Parse(id, System.Globalization.CultureInfo.InvariantCulture);
        }

        var read = new List<int>();
        await foreach (var answer in GrainFanOut.StreamEachAsync(IdsAsync(), CallAsync, width: 4))
        {
            // What the stream holds beyond what was read: the calls in flight (at most the width) and the next id.
            Assert.InRange(taken - read.Count, 1, 4 + 1);
            read.Add(answer);
        }

        Assert.Equal(Enumerable.Range(0, 50), read);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, deadline.Token);
        }
    }
}
