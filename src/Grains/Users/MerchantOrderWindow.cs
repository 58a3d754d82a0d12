namespace MeiLing.Grains.Users;

/// <summary>One merchant's window of orders for one user.</summary>
public sealed class MerchantOrderWindow
{
    public DateTimeOffset Since { get; set; }

    public int Orders { get; set; }
}
