namespace MeiLing.Grains.Merchants;

/// <summary>Persisted state of a merchant.</summary>
public sealed class MerchantState
{
    public string Name { get; set; } = "";

    public string Region { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public void Open(OpenMerchant command, DateTimeOffset now)
    {
        Name = command.Name;
        Region = command.Region;
        CreatedAt = now;
    }
}
