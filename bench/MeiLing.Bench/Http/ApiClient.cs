using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;

namespace MeiLing.Bench.Http;

/// <summary>
/// Setup-time calls to the API (never measured): they read answers, and fail loudly with the status
/// and problem text when the system says no.
/// </summary>
public sealed class ApiClient(HttpClient http, string? operatorKey)
{
    public Uri Api => http.BaseAddress!;

    public async Task<int> StatusAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, cancellationToken);
        return (int)response.StatusCode;
    }

    public async Task<UserRegistered?> TryRegisterAsync(RegisterUserBody body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(ApiRequests.Register(body), cancellationToken);
        return response.StatusCode == HttpStatusCode.Conflict
            ? null // the phone is taken: the caller draws another
            : await ReadAsync(response, WireJson.Default.UserRegistered, "POST /v1/users", cancellationToken);
    }

    public async Task<SessionBody> SignInAsync(string phone, string password, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(ApiRequests.SignIn(phone, password), cancellationToken);
        return await ReadAsync(response, WireJson.Default.SessionBody, "POST /v1/sessions", cancellationToken);
    }

    /// <summary>The current policy version; when none was ever published, publishes <paramref name="fallback"/> with the operator key.</summary>
    public async Task<string> EnsurePolicyVersionAsync(string fallback, CancellationToken cancellationToken)
    {
        using (var current = await SendAsync(ApiRequests.CurrentPolicy(), cancellationToken))
        {
            if (current.StatusCode != HttpStatusCode.NotFound)
            {
                return (await ReadAsync(current, WireJson.Default.PolicyBody, "GET /v1/policies/current", cancellationToken)).Version;
            }
        }

        if (operatorKey is null)
        {
            throw new InvalidOperationException(
                "no privacy policy is published and no operator key was given to publish one (set MEILING_OPERATOR_KEY or --operator-key)");
        }

        var body = new PolicyBody(fallback, "Published by the benchmark: no policy existed yet.", ReducesRights: false);
        using var published = await SendAsync(ApiRequests.PublishPolicy(operatorKey, body), cancellationToken);
        return (await ReadAsync(published, WireJson.Default.PolicyBody, "POST /v1/policies", cancellationToken)).Version;
    }

    public async Task SetConsentAsync(string userId, string token, string purpose, ConsentBody body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(ApiRequests.SetConsent(userId, token, purpose, body), cancellationToken);
        await EnsureSuccessAsync(response, $"PUT /v1/users/{{id}}/consents/{purpose}", cancellationToken);
    }

    /// <summary>Sends a setup request and reads its answer as <typeparamref name="T"/>; fails loudly on a non-2xx status.</summary>
    public async Task<T> CallAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var what = $"{request.Method} {request.RequestUri}";
        using var response = await SendAsync(request, cancellationToken);
        return await ReadAsync(response, type, what, cancellationToken);
    }

    /// <summary>The operator key, for scenarios whose setup creates merchants or staff.</summary>
    public string RequireOperatorKey() => operatorKey
        ?? throw new InvalidOperationException("this scenario's setup needs the operator key (set MEILING_OPERATOR_KEY or --operator-key)");

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                return await http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException exception) when (exception.HttpRequestError == HttpRequestError.ConnectionError)
            {
                throw new SystemUnreachableException($"the API at {Api} does not answer ({exception.Message})", exception);
            }
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string what, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, what, cancellationToken);
        return await response.Content.ReadFromJsonAsync(type, cancellationToken)
            ?? throw new InvalidOperationException($"{what} answered {(int)response.StatusCode} with an empty body");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}: {(text.Length > 300 ? text[..300] + "…" : text)}");
    }
}
