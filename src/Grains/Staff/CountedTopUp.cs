namespace MeiLing.Grains.Staff;

/// <summary>One top-up counted against a cashier's day.</summary>
public sealed class CountedTopUp
{
    public string OperationId { get; set; } = "";

    public long AmountFen { get; set; }

    public bool Applied { get; set; }
}
