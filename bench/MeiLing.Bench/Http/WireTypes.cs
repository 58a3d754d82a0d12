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

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RegisterUserBody))]
[JsonSerializable(typeof(UserRegistered))]
[JsonSerializable(typeof(SignInBody))]
[JsonSerializable(typeof(SessionBody))]
[JsonSerializable(typeof(PolicyBody))]
[JsonSerializable(typeof(ConsentBody))]
[JsonSerializable(typeof(LocationBody))]
internal sealed partial class WireJson : JsonSerializerContext;
