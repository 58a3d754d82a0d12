namespace MeiLing.Grains.Merchants;

/// <summary>A merchant as callers see it.</summary>
[GenerateSerializer, Immutable, Alias("meiling.merchant-view")]
public sealed record MerchantView(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Region,
    [property: Id(3)] DateTimeOffset CreatedAt);
