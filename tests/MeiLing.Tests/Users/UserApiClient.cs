using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MeiLing.Tests.Users;

internal sealed record RegisteredUser(string UserId, string Phone, string Password);

internal sealed record SessionBody(string Token, string UserId, DateTimeOffset ExpiresAt);

internal sealed record ReceiptBody(string ReceiptId, string Purpose, bool Granted, string PolicyVersion, DateTimeOffset At);

/// <summary>Arrange steps for user tests, done through the API as the apps do them.</summary>
internal static class UserApiClient
{
    /// <summary>A fresh, valid mainland mobile number.</summary>
    public static string NewPhone() => $"13{RandomNumberGenerator.GetInt32(0, 1_000_000_000):D9}";

    /// <summary>Asks for a code for the phone and purpose, and reads it from the sandbox outbox as an operator.</summary>
    public static async Task<string> ObtainCodeAsync(this PlatformFixture platform, string phone, string purpose)
    {
        var sent = await platform.Client().PostAsJsonAsync("/v1/verification-codes", new { phone, purpose });
        Assert.True(sent.StatusCode == HttpStatusCode.Accepted, await sent.Content.ReadAsStringAsync());
        return await platform.LatestCodeAsync(phone, purpose);
    }

    /// <summary>The newest code the sandbox sender kept for the phone and purpose.</summary>
    public static async Task<string> LatestCodeAsync(this PlatformFixture platform, string phone, string purpose)
    {
        var outbox = await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/sandbox/sms?phone={phone}");
        var text = outbox.GetProperty("items").EnumerateArray()
            .First(message => message.GetProperty("purpose").GetString() == purpose)
            .GetProperty("text").GetString()!;
        // The code stands alone: a member code's text also names its order, whose id may hold six digits in a row.
        return Regex.Match(text, @"\b[0-9]{6}\b").Value;
    }

    public static async Task<RegisteredUser> RegisterUserAsync(this PlatformFixture platform, object? extra = null)
    {
        var phone = NewPhone();
        const string Password = "correct horse battery";
        var body = new Dictionary<string, object?>
        {
            ["phone"] = phone, ["password"] = Password, ["nickname"] = "小美",
            ["verificationCode"] = await platform.ObtainCodeAsync(phone, "register"),
        };
        foreach (var property in extra?.GetType().GetProperties() ?? [])
        {
            body[property.Name] = property.GetValue(extra);
        }

        var response = await platform.Client().PostAsJsonAsync("/v1/users", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();
        return new RegisteredUser(created!["userId"], phone, Password);
    }

    public static async Task<SessionBody> SignInAsync(this PlatformFixture platform, RegisteredUser user)
    {
        var response = await platform.Client().PostAsJsonAsync("/v1/sessions", new { phone = user.Phone, password = user.Password });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<SessionBody>())!;
    }

    /// <summary>A client signed in as the user, with the bearer header.</summary>
    public static async Task<HttpClient> AsUserAsync(this PlatformFixture platform, RegisteredUser user)
    {
        var session = await platform.SignInAsync(user);
        var client = platform.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        return client;
    }

    public static async Task<string> CurrentPolicyVersionAsync(this PlatformFixture platform)
    {
        var current = await platform.Client().GetAsync("/v1/policies/current");
        if (current.StatusCode == HttpStatusCode.OK)
        {
            return (await current.Content.ReadFromJsonAsync<Dictionary<string, object>>())!["version"].ToString()!;
        }

        var version = $"base-{Guid.NewGuid():N}"[..20];
        var published = await platform.Operator().PostAsJsonAsync("/v1/policies", new { version, summary = "Baseline", reducesRights = false });
        published.EnsureSuccessStatusCode();
        return version;
    }

    public static async Task<ReceiptBody> SetConsentAsync(this HttpClient client, string userId, string purpose, bool granted, string policyVersion)
    {
        var response = await client.PutAsJsonAsync($"/v1/users/{userId}/consents/{purpose}", new { granted, policyVersion });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ReceiptBody>())!;
    }

    public static Task<HttpResponseMessage> PostLocationAsync(this HttpClient client, string userId, double latitude = 34.26, double longitude = 108.94) =>
        client.PostAsJsonAsync($"/v1/users/{userId}/locations", new { latitude, longitude, accuracyMeters = 12.5, source = "gps" });
}
