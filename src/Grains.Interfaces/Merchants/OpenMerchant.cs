namespace MeiLing.Grains.Merchants;

/// <summary>Opening a merchant: its display name and the data region its data must stay in (P4.2).</summary>
[GenerateSerializer, Immutable, Alias("meiling.open-merchant")]
public sealed record OpenMerchant(
    [property: Id(0)] string Name,
    [property: Id(1)] string Region,
    [property: Id(2)] string? TimeZone = null);
