namespace MeiLing.Grains.Staff;

/// <summary>What a cashier has put on member cards on the last day they did, counted against their daily limit.</summary>
public sealed class CashierTopUpDay
{
    // A retry comes soon after its first try; remembering the day's last few operations is enough to count it once,
    // and keeps the staff record small however many top-ups a day brings.
    internal const int RememberedOperations = 100;

    public DateOnly Day { get; set; }

    public long TakenFen { get; set; }

    /// <summary>Operations counted before their amounts and applications were kept (an older release): retries only.</summary>
    public List<string> OperationIds { get; set; } = [];

    /// <summary>The day's last operations counted, with their amounts and whether the card confirmed applying them.</summary>
    public List<CountedTopUp> Counted { get; set; } = [];

    /// <summary>
    /// Renames the operations an older release counted under the card's key (which names the member) as they are counted
    /// now (<see cref="CountedOperations"/>): the same top-ups, a retry still counted once. False when there were none.
    /// </summary>
    public bool ForgetMembers()
    {
        var renamed = false;
        foreach (var counted in Counted.Where(counted => !CountedOperations.IsPseudonymous(counted.OperationId)))
        {
            counted.OperationId = CountedOperations.FromLegacy(counted.OperationId);
            renamed = true;
        }

        if (OperationIds.Exists(id => !CountedOperations.IsPseudonymous(id)))
        {
            OperationIds = [.. OperationIds.Select(id => CountedOperations.IsPseudonymous(id) ? id : CountedOperations.FromLegacy(id))];
            renamed = true;
        }

        return renamed;
    }

    /// <summary>Counts <paramref name="amountFen"/> on <paramref name="day"/> if it keeps the day within <paramref name="limitFen"/>.</summary>
    /// <remarks>
    /// A day before the one counting (a card on a silo whose clock is behind, just after midnight) counts on the day
    /// counting: were it to start its own, top-ups alternating between two silos' days would each find a fresh limit.
    /// </remarks>
    public CashierTopUpOutcome Take(DateOnly day, string operationId, long amountFen, long limitFen)
    {
        if (day > Day)
        {
            Day = day;
            TakenFen = 0;
            OperationIds.Clear();
            Counted.Clear();
        }

        if (Counted.Find(counted => counted.OperationId == operationId) is { } seen)
        {
            // P1.6: the card asks only when it holds no record of the operation. Counted and never applied, it is a retry
            // of a top-up whose card write failed. Applied already, or for another amount, the card forgot it (it keeps
            // its last 1,000 operations, payments included), and taking it for a retry would put money on the card that
            // no limit counted, of whatever amount the replay names.
            return seen.Applied || seen.AmountFen != amountFen ? CashierTopUpOutcome.KeyReused : CashierTopUpOutcome.AlreadyCounted;
        }

        if (OperationIds.Contains(operationId))
        {
            return CashierTopUpOutcome.AlreadyCounted;
        }

        if (TakenFen + amountFen > limitFen)
        {
            return CashierTopUpOutcome.OverLimit;
        }

        TakenFen += amountFen;
        Counted.Add(new CountedTopUp { OperationId = operationId, AmountFen = amountFen });
        if (Counted.Count > RememberedOperations)
        {
            Counted.RemoveAt(0);
        }

        return CashierTopUpOutcome.Counted;
    }

    /// <summary>Records that the card applied a counted operation; false when it is not (or no longer) remembered, or was already.</summary>
    public bool ConfirmApplied(DateOnly day, string operationId)
    {
        if (day > Day || Counted.Find(counted => counted.OperationId == operationId) is not { Applied: false } counted)
        {
            return false;
        }

        counted.Applied = true;
        return true;
    }

    /// <summary>
    /// Forgets a counted operation the card never applied, its amount back in the day's limit; false when it is not (or no
    /// longer) remembered, was applied, or was counted on a day before this one.
    /// </summary>
    public bool GiveBack(DateOnly day, string operationId)
    {
        if (day != Day || Counted.Find(counted => counted.OperationId == operationId) is not { Applied: false } counted)
        {
            return false;
        }

        TakenFen -= counted.AmountFen;
        Counted.Remove(counted);
        return true;
    }

    /// <summary>What is left of <paramref name="limitFen"/> on <paramref name="day"/>.</summary>
    /// <remarks>A day behind the one counting is counted on it (<see cref="Take"/>), and has what it has left.</remarks>
    public long LeftOn(DateOnly day, long limitFen) => Math.Max(0, limitFen - (day <= Day ? TakenFen : 0));
}

public enum CashierTopUpOutcome
{
    Counted,
    AlreadyCounted,
    OverLimit,
    KeyReused,
}
