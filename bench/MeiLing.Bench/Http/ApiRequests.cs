using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MeiLing.Bench.Http;

/// <summary>
/// The requests of the contract, built in one place for both setup and the measured loops, so a
/// route or header changes once.
/// </summary>
public static class ApiRequests
{
    public const string OperatorKeyHeader = "X-Api-Key";

    public static HttpRequestMessage Ping() => new(HttpMethod.Get, "/v1/ping");

    public static HttpRequestMessage Ready() => new(HttpMethod.Get, "/health/ready");

    public static HttpRequestMessage Register(RegisterUserBody body) =>
        WithJson(new HttpRequestMessage(HttpMethod.Post, "/v1/users"), body, WireJson.Default.RegisterUserBody);

    public static HttpRequestMessage SignIn(string phone, string password) =>
        WithJson(new HttpRequestMessage(HttpMethod.Post, "/v1/sessions"), new SignInBody(phone, password), WireJson.Default.SignInBody);

    public static HttpRequestMessage CurrentPolicy() => new(HttpMethod.Get, "/v1/policies/current");

    public static HttpRequestMessage PublishPolicy(string operatorKey, PolicyBody body)
    {
        var request = WithJson(new HttpRequestMessage(HttpMethod.Post, "/v1/policies"), body, WireJson.Default.PolicyBody);
        request.Headers.Add(OperatorKeyHeader, operatorKey);
        return request;
    }

    public static HttpRequestMessage GetConsents(string userId, string token) =>
        AsUser(new HttpRequestMessage(HttpMethod.Get, $"/v1/users/{Uri.EscapeDataString(userId)}/consents"), token);

    public static HttpRequestMessage SetConsent(string userId, string token, string purpose, ConsentBody body) =>
        WithJson(AsUser(new HttpRequestMessage(HttpMethod.Put, $"/v1/users/{Uri.EscapeDataString(userId)}/consents/{purpose}"), token),
            body, WireJson.Default.ConsentBody);

    public static HttpRequestMessage RecordLocation(string userId, string token, LocationBody body) =>
        WithJson(AsUser(new HttpRequestMessage(HttpMethod.Post, $"/v1/users/{Uri.EscapeDataString(userId)}/locations"), token),
            body, WireJson.Default.LocationBody);

    private static HttpRequestMessage AsUser(HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static HttpRequestMessage WithJson<T>(HttpRequestMessage request, T body, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content = content;
        return request;
    }
}
