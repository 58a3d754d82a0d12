namespace MeiLing.Grains.Merchants;

/// <summary>Persisted state of a merchant.</summary>
public sealed class MerchantState
{
    public string Name { get; set; } = "";

    public string Region { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public MerchantStatus Status { get; set; }

    public DateTimeOffset? TerminationEffectiveAt { get; set; }

    public void Open(OpenMerchant command, DateTimeOffset now)
    {
        Name = command.Name;
        Region = command.Region;
        CreatedAt = now;
        Status = MerchantStatus.Active;
    }

    public void BeginTermination(DateTimeOffset effectiveAt)
    {
        Status = MerchantStatus.Terminating;
        TerminationEffectiveAt = effectiveAt;
    }

    public void Terminated() => Status = MerchantStatus.Terminated;

    public MerchantView ToView(string merchantId) => new(merchantId, Name, Region, CreatedAt, Status, TerminationEffectiveAt);
}
