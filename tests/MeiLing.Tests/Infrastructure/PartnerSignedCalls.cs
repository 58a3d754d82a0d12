using System.Globalization;
using System.Text;
using StandardWebhooks;

namespace MeiLing.Tests.Infrastructure;

/// <summary>A partner's call to the API, signed as Standard Webhooks signs (webhook-id, webhook-timestamp, webhook-signature).</summary>
internal static class PartnerSignedCalls
{
    /// <summary>Posts <paramref name="body"/> to <paramref name="path"/> signed under <paramref name="secret"/>, dated <paramref name="at"/> (now when null).</summary>
    public static async Task<HttpResponseMessage> PostSignedAsync(
        this PlatformFixture platform, string path, string body, string secret, DateTimeOffset? at = null)
    {
        var id = $"msg_{Guid.NewGuid():N}";
        var signedAt = at ?? DateTimeOffset.UtcNow;
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", signedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", new StandardWebhook(secret).Sign(id, signedAt, body));
        return await platform.Client().SendAsync(request);
    }
}
