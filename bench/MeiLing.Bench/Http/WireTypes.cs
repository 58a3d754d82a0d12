using System.Text.Json;
using System.Text.Json.Serialization;

namespace MeiLing.Bench.Http;

// The bench speaks the published HTTP contract (shared/contract/api.md), not the server's types:
// it measures the system as its callers see it.

public sealed record RegisterUserBody(string Phone, string Password, string Nickname);

public sealed record UserRegistered(string UserId);

public sealed record SignInBody(string Phone, string Password);

public sealed record SessionBody(string Token, string UserId);

public sealed record PolicyBody(string Version, string Summary, bool ReducesRights);

public sealed record ConsentBody(bool Granted, string PolicyVersion);

public sealed record LocationBody(double Latitude, double Longitude, double AccuracyMeters, string Source);

public sealed record MerchantBody(string Name);

public sealed record MerchantCreated(string MerchantId, string ApiKey);

public sealed record StaffBody(string Name, string Role);

public sealed record StaffCreated(string StaffId, string ApiKey);

public sealed record ProductBody(string Sku, string Name, long PriceFen);

public sealed record OrderItemBody(string Sku, int Quantity);

public sealed record PlaceOrderBody(string UserId, IReadOnlyList<OrderItemBody> Items);

public sealed record OrderPlaced(string OrderId, long TotalFen, string Status);

public sealed record PaymentBody(string Method, long AmountFen);

public sealed record OrderPageBody(string? NextCursor);

public sealed record DataRightsRequestBody(string Type);

public sealed record DataRightsRequestState(string RequestId, string Type, string Status);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RegisterUserBody))]
[JsonSerializable(typeof(UserRegistered))]
[JsonSerializable(typeof(SignInBody))]
[JsonSerializable(typeof(SessionBody))]
[JsonSerializable(typeof(PolicyBody))]
[JsonSerializable(typeof(ConsentBody))]
[JsonSerializable(typeof(LocationBody))]
[JsonSerializable(typeof(MerchantBody))]
[JsonSerializable(typeof(MerchantCreated))]
[JsonSerializable(typeof(StaffBody))]
[JsonSerializable(typeof(StaffCreated))]
[JsonSerializable(typeof(ProductBody))]
[JsonSerializable(typeof(PlaceOrderBody))]
[JsonSerializable(typeof(OrderPlaced))]
[JsonSerializable(typeof(PaymentBody))]
[JsonSerializable(typeof(OrderPageBody))]
[JsonSerializable(typeof(DataRightsRequestBody))]
[JsonSerializable(typeof(DataRightsRequestState))]
internal sealed partial class WireJson : JsonSerializerContext;
