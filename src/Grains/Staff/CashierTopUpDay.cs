namespace MeiLing.Grains.Staff;

/// <summary>What a cashier has put on member cards on the last day they did, counted against their daily limit.</summary>
public sealed class CashierTopUpDay
{
    // A retry comes soon after its first try; remembering the day's last few operations is enough to count it once,
    // and keeps the staff record small however many top-ups a day brings.
    internal const int RememberedOperations = 100;

    public DateOnly Day { get; set; }

    public long TakenFen { get; set; }

    public List<string> OperationIds { get; set; } = [];

    /// <summary>Counts <paramref name="amountFen"/> on <paramref name="day"/> if it keeps the day within <paramref name="limitFen"/>.</summary>
    public CashierTopUpOutcome Take(DateOnly day, string operationId, long amountFen, long limitFen)
    {
        if (day != Day)
        {
            Day = day;
            TakenFen = 0;
            OperationIds.Clear();
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
        OperationIds.Add(operationId);
        if (OperationIds.Count > RememberedOperations)
        {
            OperationIds.RemoveAt(0);
        }

        return CashierTopUpOutcome.Counted;
    }

    /// <summary>What is left of <paramref name="limitFen"/> on <paramref name="day"/>.</summary>
    public long LeftOn(DateOnly day, long limitFen) => Math.Max(0, limitFen - (day == Day ? TakenFen : 0));
}

public enum CashierTopUpOutcome
{
    Counted,
    AlreadyCounted,
    OverLimit,
}
