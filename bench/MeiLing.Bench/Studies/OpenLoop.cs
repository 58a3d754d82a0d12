using System.Diagnostics;
using System.Net.Sockets;
using MeiLing.Bench.Load;

namespace MeiLing.Bench.Studies;

/// <summary>
/// A fixed-rate, open-loop load: each worker (one connection) sends on a schedule, not when the last
/// answer came, and latency counts from the scheduled moment, so a stall shows in the percentiles
/// instead of quietly slowing the load (no coordinated omission). Used by consent-read-half and by
/// bench/compare. Like wrk, two event-loop threads drive all connections (poll, then non-blocking sends
/// and receives of requests encoded once), so the client stays cheap beside the system it measures and
/// has no thread pool to fall behind. The first <c>warmup</c> of the schedule is sent but not counted.
/// </summary>
public static class OpenLoop
{
    private const int Loops = 2;

    // Past its wait, a turn of the loop sends and receives for a few dozen connections: microseconds. Twenty milliseconds
    // late is a loop that was not running (a page fault, a descheduled thread), not one that was busy.
    private const long StallSlackMicroseconds = 20_000;

    /// <summary>An answer this late (ms from its scheduled send) is kept with its moment, to find the episodes behind a p99.</summary>
    public const double SlowMilliseconds = 20;

    public static Task<OpenLoopResult> RunAsync(
        Uri api, double rate, int workers, TimeSpan warmup, TimeSpan duration, TimeSpan timeout,
        Func<int, long, ReadOnlyMemory<byte>> request, CancellationToken cancellationToken)
    {
        var schedule = new Schedule(rate, workers, warmup, duration);
        var tallies = new Tally[Math.Min(Loops, workers)];
        var threads = tallies.Select((_, loop) => new Thread(() =>
            tallies[loop] = Drive(api, schedule, [.. Enumerable.Range(0, workers).Where(w => w % tallies.Length == loop)], timeout, request, cancellationToken))
        { IsBackground = true, Name = $"open-loop {loop}" }).ToArray();

        return Task.Factory.StartNew(() =>
        {
            foreach (var thread in threads)
            {
                thread.Start();
            }

            foreach (var thread in threads)
            {
                thread.Join();
            }

            var all = tallies.SelectMany(t => t.Latencies).Order().ToArray();
            var slow = tallies.SelectMany(t => t.Slow).OrderBy(s => s.Scheduled).ToArray();
            return new OpenLoopResult(all.Length, tallies.Sum(t => t.Errors), all.Length / duration.TotalSeconds,
                Timing.Percentile(all, 0.50), Timing.Percentile(all, 0.99), all.Length == 0 ? 0 : all[^1],
                tallies.Max(t => t.LongestStallTicks) * 1000.0 / Stopwatch.Frequency)
            {
                SlowEpisodes = SlowEpisode.Group(slow, schedule.Measured, schedule.MeasuredAtUtc),
            };
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>One event loop over its workers' connections.</summary>
    private static Tally Drive(
        Uri api, Schedule schedule, int[] workers, TimeSpan timeout, Func<int, long, ReadOnlyMemory<byte>> request, CancellationToken cancellationToken)
    {
        // Room for every answer this loop's workers will be counted for, taken before the schedule starts: a list that grew
        // on the way would copy itself into ever larger arrays, and past 85 KB those go to the large-object heap, whose
        // collections pause this loop, which this study would then report as the server's latency.
        var tally = new Tally(schedule.MeasuredSends(workers.Length));
        var connections = new RawHttpConnection?[workers.Length];
        var sends = new long[workers.Length];        // how many each worker has sent
        var inFlight = new long?[workers.Length];    // the scheduled moment of the request awaiting its answer
        var readable = new List<Socket>(workers.Length);
        var giveUp = schedule.End + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        // When this loop meant to be running again at the latest: each wait below has a bound, so a turn that comes later
        // than it means this client stood still, and whatever it was measuring then was this client, not the server.
        var dueBy = long.MaxValue;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var now = Stopwatch.GetTimestamp();
                if (now > dueBy && now >= schedule.Measured && now <= schedule.End)
                {
                    tally.LongestStallTicks = Math.Max(tally.LongestStallTicks, now - dueBy);
                }

                var nextSend = long.MaxValue;
                readable.Clear();
                for (var i = 0; i < workers.Length; i++)
                {
                    if (inFlight[i] is null)
                    {
                        var scheduled = schedule.At(workers[i], sends[i]);
                        if (scheduled >= schedule.End)
                        {
                            continue;
                        }

                        if (scheduled > now)
                        {
                            nextSend = Math.Min(nextSend, scheduled);
                            continue;
                        }

                        try
                        {
                            (connections[i] ??= RawHttpConnection.Open(api)).Send(request(workers[i], sends[i]).Span);
                            inFlight[i] = scheduled;
                        }
                        catch (SocketException)
                        {
                            Fail(i, scheduled);
                            continue;
                        }
                    }

                    readable.Add(connections[i]!.Socket);
                }

                if (readable.Count == 0 && nextSend == long.MaxValue)
                {
                    return tally; // every worker has sent its last request and had its answer
                }

                if (now > giveUp)
                {
                    tally.Errors += readable.Count; // answers that never came
                    return tally;
                }

                // Wait for answers until the next send is due; at least a millisecond, so the loop never spins.
                var waitTicks = nextSend == long.MaxValue ? Stopwatch.Frequency / 10 : nextSend - now;
                var waitMicroseconds = (int)Math.Clamp(waitTicks * 1_000_000 / Stopwatch.Frequency, 1_000, 100_000);
                // The wait, and a turn's own work after it (a few sends and receives, well under this slack), at the most.
                dueBy = Stopwatch.GetTimestamp() + ((waitMicroseconds + StallSlackMicroseconds) * Stopwatch.Frequency / 1_000_000);
                if (readable.Count == 0)
                {
                    Thread.Sleep(waitMicroseconds / 1_000);
                    continue;
                }

                Socket.Select(readable, null, null, waitMicroseconds);
                foreach (var socket in readable)
                {
                    var i = IndexOf(connections, socket);
                    var scheduled = inFlight[i]!.Value;
                    try
                    {
                        if (connections[i]!.TryReceive(out var status))
                        {
                            Complete(i, scheduled, status is >= 200 and <= 299);
                        }
                    }
                    catch (Exception failed) when (failed is IOException or SocketException or InvalidDataException)
                    {
                        Fail(i, scheduled);
                    }
                }
            }

            return tally;
        }
        finally
        {
            foreach (var connection in connections)
            {
                connection?.Dispose();
            }
        }

        void Complete(int i, long scheduled, bool succeeded)
        {
            if (scheduled >= schedule.Measured)
            {
                var latency = Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds;
                tally.Latencies.Add(latency);
                tally.Errors += succeeded ? 0 : 1;
                if (latency >= SlowMilliseconds && tally.Slow.Count < tally.Slow.Capacity)
                {
                    tally.Slow.Add(new SlowAnswer(scheduled, latency));
                }
            }

            inFlight[i] = null;
            sends[i]++;
        }

        // A broken connection is an error of its request; the worker's next request opens a new one.
        void Fail(int i, long scheduled)
        {
            connections[i]?.Dispose();
            connections[i] = null;
            Complete(i, scheduled, succeeded: false);
        }
    }

    // A plain loop: a predicate capturing the socket would be an allocation per answer, and the collections they add up to
    // pause this loop as a server's stall would.
    private static int IndexOf(RawHttpConnection?[] connections, Socket socket)
    {
        for (var i = 0; i < connections.Length; i++)
        {
            if (connections[i]?.Socket == socket)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>When worker w sends its k-th request: all workers together send at the rate, evenly interleaved.</summary>
    private sealed class Schedule(double rate, int workers, TimeSpan warmup, TimeSpan duration)
    {
        private const int MostReserved = 1 << 24;

        private readonly double interval = Stopwatch.Frequency / rate; // ticks between two sends of the whole load

        public long Start { get; } = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 10);

        /// <summary>The wall-clock moment of <see cref="Measured"/>, to line a slow episode up with a server's logs.</summary>
        public DateTimeOffset MeasuredAtUtc => DateTimeOffset.UtcNow + Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Measured);

        public long Measured => Start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);

        public long End => Measured + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        public long At(int worker, long k) => Start + (long)(((k * workers) + worker) * interval);

        /// <summary>
        /// How many requests <paramref name="loopWorkers"/> of the workers send in the measured part, and a little over; at
        /// most <see cref="MostReserved"/>, so a rate no server could answer reserves no more than a schedule of 16 million.
        /// </summary>
        public int MeasuredSends(int loopWorkers) =>
            (int)Math.Min(MostReserved, (rate * duration.TotalSeconds * loopWorkers / workers * 1.01) + 64);
    }

    private sealed class Tally(int expected)
    {
        public List<double> Latencies { get; } = new(expected);

        /// <summary>The late answers, room for them taken up front for the same reason as <see cref="Latencies"/>.</summary>
        public List<SlowAnswer> Slow { get; } = new(Math.Min(expected, 1 << 16));

        public int Errors { get; set; }

        /// <summary>The longest this loop stood still in the measured part of the schedule, beyond its own waits.</summary>
        public long LongestStallTicks { get; set; }
    }
}

/// <summary>
/// One schedule's figures, latencies in ms from the scheduled send. <c>ClientStall</c> is the longest the client itself
/// stood still while measuring (ms): answers that came in meanwhile were counted late by the client's own stall, so a
/// schedule with a long one measured this machine's client, not the server.
/// </summary>
public sealed record OpenLoopResult(int Requests, int Errors, double Achieved, double P50, double P99, double Max, double ClientStall)
{
    /// <summary>Where the answers of <see cref="OpenLoop.SlowMilliseconds"/> or more came from in the schedule.</summary>
    public IReadOnlyList<SlowEpisode> SlowEpisodes { get; init; } = [];

    public override string ToString() =>
        $"requests {Requests:N0}   errors {Errors}   achieved {Achieved:N1} req/s   latency ms (from the scheduled send)   p50 {P50:0.00}   p99 {P99:0.00}   max {Max:0.00}   client stood still {ClientStall:0} ms at most";
}
