namespace MeiLing.FaultCheck;

/// <summary>
/// Judges a run: every failure must be a 503 inside the fault window, writes must succeed again after
/// it, and every acknowledged write must read back as written.
/// </summary>
public sealed class Report(CheckOptions options, IReadOnlyCollection<WriteRecord> writes, TimeSpan? faultAt, TimeSpan? healAt)
{
    public bool Passed { get; private set; } = true;

    public void PrintWrites(TextWriter output)
    {
        output.WriteLine("== Writes");
        foreach (var kind in Enum.GetValues<WriteKind>())
        {
            var of = writes.Where(w => w.Kind == kind).ToList();
            output.WriteLine($"{kind.ToString().ToLowerInvariant() + "s:",-11}{CountOf(of, WriteOutcome.Acknowledged),6} acknowledged {CountOf(of, WriteOutcome.Unavailable),6} 503 {CountOf(of, WriteOutcome.Other),6} other");
        }

        var other = writes.Where(w => w.Outcome == WriteOutcome.Other).ToList();
        output.WriteLine($"{CountOf(writes, WriteOutcome.Acknowledged)} acknowledged writes, {CountOf(writes, WriteOutcome.Unavailable)} 503s, {other.Count} other errors");
        foreach (var group in other.GroupBy(w => w.Detail).OrderByDescending(g => g.Count()).Take(5))
        {
            output.WriteLine($"  other error x{group.Count()}: {group.Key} (first at +{group.Min(w => w.Ended).TotalSeconds:F1} s)");
        }

        Fail(other.Count > 0);
        Fail(CountOf(writes, WriteOutcome.Acknowledged) == 0);
    }

    public void PrintFault(TextWriter output)
    {
        output.WriteLine("== Fault window");
        var failures = writes.Where(w => w.Outcome != WriteOutcome.Acknowledged).OrderBy(w => w.Ended).ToList();
        if (faultAt is not { } fault)
        {
            output.WriteLine($"no fault injected; {failures.Count} failed writes");
            Fail(failures.Count > 0);
            return;
        }

        var windowEnd = (healAt ?? fault) + options.MaxRecovery;
        output.WriteLine(healAt is { } heal
            ? $"fault at +{fault.TotalSeconds:F1} s, heal at +{heal.TotalSeconds:F1} s; errors allowed until +{windowEnd.TotalSeconds:F1} s"
            : $"fault at +{fault.TotalSeconds:F1} s; errors allowed until +{windowEnd.TotalSeconds:F1} s");

        var outside = failures.Count(w => w.Ended < fault || w.Ended > windowEnd);
        Fail(outside > 0);
        if (failures.Count == 0)
        {
            output.WriteLine("no write failed");
        }
        else
        {
            output.WriteLine($"failed writes from +{(failures[0].Ended - fault).TotalSeconds:F1} s to +{(failures[^1].Ended - fault).TotalSeconds:F1} s after the fault; {outside} outside the window");
        }

        var reference = healAt ?? fault;
        var lastFailure = failures.Count == 0 ? fault : failures[^1].Ended;
        var recoveredAt = ThroughputBackAfter(fault, reference);
        var succeededAfterLastFailure = writes.Any(w => w.Outcome == WriteOutcome.Acknowledged && w.Started >= lastFailure);
        Fail(recoveredAt is null || !succeededAfterLastFailure);
        if (recoveredAt is not { } recovered || !succeededAfterLastFailure)
        {
            output.WriteLine("writes did not succeed again before the end of the run: no recovery");
            return;
        }

        var since = healAt is null ? "the fault" : "the heal";
        output.WriteLine($"recovery time: {(recovered - reference).TotalSeconds:F1} s from {since} until writes succeed again " +
            "(until writes have flowed at half the rate before the fault for a second's worth; about 0.5 s when nothing stalls)");
        if (failures.Count > 0)
        {
            output.WriteLine($"last failed write ended {(lastFailure - reference).TotalSeconds:F1} s after {since}; " +
                $"{writes.Count(w => w.Outcome == WriteOutcome.Acknowledged && w.Ended >= fault && w.Ended <= lastFailure)} writes were acknowledged between the fault and it");
        }
    }

    /// <summary>
    /// The first moment after <paramref name="from"/> by which the writes acknowledged since then, within
    /// the last second, reach half of what the ten seconds before the fault did in a second; null if never.
    /// </summary>
    private TimeSpan? ThroughputBackAfter(TimeSpan fault, TimeSpan from)
    {
        var acknowledged = writes.Where(w => w.Outcome == WriteOutcome.Acknowledged).Select(w => w.Ended).Order().ToArray();
        var window = TimeSpan.FromSeconds(1);
        var before = TimeSpan.FromSeconds(Math.Min(10, fault.TotalSeconds));
        var baseline = before > TimeSpan.Zero ? acknowledged.Count(t => t >= fault - before && t < fault) / before.TotalSeconds : 0;
        var step = TimeSpan.FromMilliseconds(100);
        var end = acknowledged.Length > 0 ? acknowledged[^1] : from;
        for (var t = from + step; t <= end + step; t += step)
        {
            var count = acknowledged.Count(a => a > t - window && a > from && a <= t);
            if (count >= Math.Max(1, baseline * window.TotalSeconds / 2))
            {
                return t;
            }
        }

        return null;
    }

    public void PrintReadBack(TextWriter output, IReadOnlyDictionary<WriteRecord, ReadBack> reads)
    {
        output.WriteLine("== Read-back");
        var byStatus = reads.Values.GroupBy(r => r.Status).ToDictionary(g => g.Key, g => g.Count());
        int Of(ReadStatus status) => byStatus.GetValueOrDefault(status);
        output.WriteLine($"{reads.Count} acknowledged writes read back: {Of(ReadStatus.Found)} found, {Of(ReadStatus.Missing)} missing, {Of(ReadStatus.Different)} different, {Of(ReadStatus.Unknown)} unreadable");
        foreach (var (write, read) in reads.Where(r => r.Value.Status != ReadStatus.Found).Take(5))
        {
            output.WriteLine($"  {write.Kind} {write.Id} acknowledged at +{write.Ended.TotalSeconds:F1} s: {read.Status} {read.Detail}");
        }

        var lost = Of(ReadStatus.Missing) + Of(ReadStatus.Different);
        output.WriteLine($"{lost} acknowledged writes lost");
        Fail(lost > 0 || Of(ReadStatus.Unknown) > 0);
    }

    private static int CountOf(IEnumerable<WriteRecord> records, WriteOutcome outcome) => records.Count(w => w.Outcome == outcome);

    private void Fail(bool failed) => Passed &= !failed;
}
