using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MeiLing.FaultCheck;

/// <summary>The few API calls the check makes, each classified into a <see cref="WriteOutcome"/> without throwing.</summary>
public sealed class PlatformClient(HttpClient http, string operatorKey)
{
    private const string ApiKeyHeader = "X-Api-Key";
    private const string ProblemJson = "application/problem+json";

    // The password only has to pass the contract's rule (8+ characters); every test user shares it.
    private const string Password = "fault-check-password";

    public async Task<(WriteOutcome Outcome, string? Id, string? Detail)> CreateMerchantAsync(string name, CancellationToken cancellationToken) =>
        await SendAsync(Post("/v1/merchants", new { name }, operatorKey), "merchantId", cancellationToken);

    public async Task<(WriteOutcome Outcome, string? Id, string? Detail)> RegisterUserAsync(string phone, string nickname, CancellationToken cancellationToken) =>
        await SendAsync(Post("/v1/users", new { phone, password = Password, nickname }, apiKey: null), "userId", cancellationToken);

    /// <summary>A support key, for reading users back (operators may not read profiles).</summary>
    public async Task<string> CreateSupportKeyAsync(CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(Post("/v1/staff", new { name = "fault-check", role = "support" }, operatorKey), cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return body.GetProperty("apiKey").GetString() ?? throw new InvalidOperationException("No apiKey in the answer.");
    }

    /// <summary>Reads a written entity back: its stored name, null when the API says 404, or throws when it cannot tell.</summary>
    public async Task<ReadBack> ReadAsync(WriteRecord write, string supportKey, CancellationToken cancellationToken)
    {
        var (path, key, field) = write.Kind == WriteKind.Merchant
            ? ($"/v1/merchants/{write.Id}", operatorKey, "name")
            : ($"/v1/users/{write.Id}", supportKey, "nickname");
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(ApiKeyHeader, key);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return new ReadBack(ReadStatus.Missing, null);
            }

            if (!response.IsSuccessStatusCode)
            {
                return new ReadBack(ReadStatus.Unknown, $"HTTP {(int)response.StatusCode}");
            }

            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            return body.TryGetProperty(field, out var value) && value.GetString() == write.Name
                ? new ReadBack(ReadStatus.Found, null)
                : new ReadBack(ReadStatus.Different, $"{field} differs");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new ReadBack(ReadStatus.Unknown, exception.GetType().Name);
        }
    }

    private static HttpRequestMessage Post(string path, object body, string? apiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (apiKey is not null)
        {
            request.Headers.Add(ApiKeyHeader, apiKey);
        }

        return request;
    }

    private async Task<(WriteOutcome, string?, string?)> SendAsync(HttpRequestMessage request, string idField, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                    return body.TryGetProperty(idField, out var id) && id.GetString() is { Length: > 0 } value
                        ? (WriteOutcome.Acknowledged, value, null)
                        : (WriteOutcome.Other, null, $"201 without {idField}");
                }

                var mediaType = response.Content.Headers.ContentType?.MediaType;
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable && mediaType == ProblemJson)
                {
                    return (WriteOutcome.Unavailable, null, null);
                }

                return (WriteOutcome.Other, null, $"HTTP {(int)response.StatusCode} {mediaType}");
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return (WriteOutcome.Other, null, exception is TaskCanceledException ? "no answer within the HTTP timeout" : $"{exception.GetType().Name}: {exception.Message}");
            }
        }
    }
}

/// <summary>What a read-back found.</summary>
public enum ReadStatus
{
    Found,
    Missing,
    Different,
    Unknown,
}

public sealed record ReadBack(ReadStatus Status, string? Detail);
