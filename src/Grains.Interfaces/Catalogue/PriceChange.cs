namespace MeiLing.Grains.Catalogue;

/// <summary>
/// One kept change of a product's price: from what, to what, who made it (a staff member, an operator, or neither for
/// the merchant's own key) and when.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.price-change")]
public sealed record PriceChange(
    [property: Id(0)] string ChangeId,
    [property: Id(1)] long PreviousPriceFen,
    [property: Id(2)] long PriceFen,
    [property: Id(3)] string? StaffId,
    [property: Id(4)] string? OperatorId,
    [property: Id(5)] DateTimeOffset ChangedAt)
{
    /// <summary>
    /// The staff id of a change made through an API host of the previous release while a cluster rolls: its call named
    /// nobody, and blank would read as the merchant's own key.
    /// </summary>
    public const string UnknownCaller = "unknown";
}
