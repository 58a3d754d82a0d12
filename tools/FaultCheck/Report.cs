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

        var after = failures.Count == 0 ? fault : failures[^1].Ended;
        var reference = healAt ?? fault;
        var recovered = writes.Any(w => w.Outcome == WriteOutcome.Acknowledged && w.Started >= after);
        var during = writes.Count(w => w.Outcome == WriteOutcome.Acknowledged && w.Ended >= fault && w.Ended <= after);
        Fail(!recovered);
        if (!recovered)
        {
            output.WriteLine("writes did not succeed again before the end of the run: no recovery");
            return;
        }

        var recovery = after > reference ? after - reference : TimeSpan.Zero;
        output.WriteLine(healAt is null
            ? $"recovery time: {recovery.TotalSeconds:F1} s from the fault until writes succeed again"
            : $"recovery time: {recovery.TotalSeconds:F1} s from the heal until writes succeed again ({(after - fault).TotalSeconds:F1} s after the fault)");
        output.WriteLine($"{during} writes were acknowledged between the fault and recovery");
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
