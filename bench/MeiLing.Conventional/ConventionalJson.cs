using System.Text.Json;
using System.Text.Json.Serialization;

namespace MeiLing.Conventional;

public sealed record Pong(string Status, string Service);

public sealed record ConsentStatus(string Purpose, bool Granted, string PolicyVersion, DateTimeOffset ChangedAt);

public sealed record ConsentPage(IReadOnlyList<ConsentStatus> Items, string? NextCursor);

public sealed record ConsentRequest(bool Granted, string PolicyVersion);

public sealed record ConsentReceipt(string ReceiptId, string Purpose, bool Granted, string PolicyVersion, DateTimeOffset At);

public sealed record OrderItem(string Sku, int Quantity);

public sealed record PlaceOrderRequest(string UserId, IReadOnlyList<OrderItem>? Items);

public sealed record OrderLine(string Sku, int Quantity, long UnitPriceFen);

public sealed record OrderPlaced(string OrderId, long TotalFen, string Status);

/// <summary>Source-generated JSON (the slim host has no reflection-based fallback to lean on).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Pong))]
[JsonSerializable(typeof(ConsentPage))]
[JsonSerializable(typeof(ConsentRequest))]
[JsonSerializable(typeof(ConsentReceipt))]
[JsonSerializable(typeof(PlaceOrderRequest))]
[JsonSerializable(typeof(OrderLine[]))]
[JsonSerializable(typeof(OrderPlaced))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails))]
internal sealed partial class ConventionalJson : JsonSerializerContext;
