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

    public const string PingPath = "/v1/ping";

    public static HttpRequestMessage Ping() => new(HttpMethod.Get, PingPath);

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
        AsUser(new HttpRequestMessage(HttpMethod.Get, ConsentsPath(userId)), token);

    public static string ConsentsPath(string userId) => $"/v1/users/{Uri.EscapeDataString(userId)}/consents";

    public static HttpRequestMessage SetConsent(string userId, string token, string purpose, ConsentBody body) =>
        WithJson(AsUser(new HttpRequestMessage(HttpMethod.Put, $"/v1/users/{Uri.EscapeDataString(userId)}/consents/{purpose}"), token),
            body, WireJson.Default.ConsentBody);

    public static HttpRequestMessage RecordLocation(string userId, string token, LocationBody body) =>
        WithJson(AsUser(new HttpRequestMessage(HttpMethod.Post, $"/v1/users/{Uri.EscapeDataString(userId)}/locations"), token),
            body, WireJson.Default.LocationBody);

    public static HttpRequestMessage CreateMerchant(string operatorKey, MerchantBody body) =>
        WithJson(WithKey(new HttpRequestMessage(HttpMethod.Post, "/v1/merchants"), operatorKey), body, WireJson.Default.MerchantBody);

    public static HttpRequestMessage CreateStaff(string operatorKey, StaffBody body) =>
        WithJson(WithKey(new HttpRequestMessage(HttpMethod.Post, "/v1/staff"), operatorKey), body, WireJson.Default.StaffBody);

    public static HttpRequestMessage AddProduct(string merchantId, string merchantKey, ProductBody body) =>
        WithJson(WithKey(new HttpRequestMessage(HttpMethod.Post, $"/v1/merchants/{Uri.EscapeDataString(merchantId)}/products"), merchantKey),
            body, WireJson.Default.ProductBody);

    public static HttpRequestMessage PlaceOrder(string merchantId, string merchantKey, PlaceOrderBody body) =>
        WithJson(WithKey(new HttpRequestMessage(HttpMethod.Post, $"/v1/merchants/{Uri.EscapeDataString(merchantId)}/orders"), merchantKey),
            body, WireJson.Default.PlaceOrderBody);

    public static HttpRequestMessage ListOrders(string merchantId, string merchantKey, int limit, string? cursor) =>
        WithKey(new HttpRequestMessage(HttpMethod.Get,
            $"/v1/merchants/{Uri.EscapeDataString(merchantId)}/orders?limit={limit}{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}"),
            merchantKey);

    public static HttpRequestMessage GetOrder(string orderId, string merchantKey) =>
        WithKey(new HttpRequestMessage(HttpMethod.Get, $"/v1/orders/{Uri.EscapeDataString(orderId)}"), merchantKey);

    public static HttpRequestMessage Pay(string orderId, string merchantKey, PaymentBody body) =>
        WithJson(WithKey(new HttpRequestMessage(HttpMethod.Post, $"/v1/orders/{Uri.EscapeDataString(orderId)}/payments"), merchantKey),
            body, WireJson.Default.PaymentBody);

    public static HttpRequestMessage FileRequest(string userId, string token, DataRightsRequestBody body) =>
        WithJson(AsUser(new HttpRequestMessage(HttpMethod.Post, $"/v1/users/{Uri.EscapeDataString(userId)}/requests"), token),
            body, WireJson.Default.DataRightsRequestBody);

    /// <summary>A data-rights request's state, asked by support (a cancelled user's own token stops working).</summary>
    public static HttpRequestMessage GetRequest(string requestId, string supportKey) =>
        WithKey(new HttpRequestMessage(HttpMethod.Get, $"/v1/requests/{Uri.EscapeDataString(requestId)}"), supportKey);

    public static HttpRequestMessage Export(string requestId, string token) =>
        AsUser(new HttpRequestMessage(HttpMethod.Get, $"/v1/requests/{Uri.EscapeDataString(requestId)}/export"), token);

    private static HttpRequestMessage WithKey(HttpRequestMessage request, string key)
    {
        request.Headers.Add(OperatorKeyHeader, key);
        return request;
    }

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
