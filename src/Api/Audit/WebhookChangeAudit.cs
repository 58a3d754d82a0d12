using System.Security.Claims;
using System.Text.Json;
using MeiLing.Grains.Audit;

namespace MeiLing.Api.Audit;

/// <summary>
/// Changes to a merchant's webhook endpoint, where the users' rights notices go (P3.1, P4.4): each is written to the audit
/// log before it is made (who, their role, the host before and after; never the URL's path or query, never the secret),
/// so an operator re-pointing a merchant's notices leaves a trace the merchant reads on its webhook and its change list.
/// If the audit log cannot take the entry, the change does not happen.
/// </summary>
public static class WebhookChangeAudit
{
    public const string Prefix = "webhook:";
    public const string Set = Prefix + "set";
    public const string SecretRotated = Prefix + "secret-rotated";
    public const string Removed = Prefix + "removed";

    /// <summary>How many changes the change list shows, newest first.</summary>
    public const int ListLength = 100;

    private static readonly JsonSerializerOptions DetailJson = new(JsonSerializerDefaults.Web);

    public static Task RecordAsync(IClusterClient cluster, ClaimsPrincipal caller, string merchantId, string action, string? fromUrl, string? toUrl) =>
        // The merchant's id first: IAuditLogGrain.WebhookChanges finds the entries by it.
        ChangeAudit.AppendAsync(cluster, caller, action, new WebhookChangeDetail(merchantId, Host(fromUrl), Host(toUrl)));

    /// <summary>The merchant's webhook changes, newest first, as the merchant and operators read them.</summary>
    public static async Task<IReadOnlyList<WebhookChange>> ReadAsync(IClusterClient cluster, string merchantId, int limit) =>
        [.. (await cluster.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).WebhookChanges(merchantId, limit)).Select(AsChange)];

    private static WebhookChange AsChange(AuditRecord record)
    {
        var detail = JsonSerializer.Deserialize<WebhookChangeDetail>(record.Entry.Detail ?? "{}", DetailJson);
        return new WebhookChange(record.Entry.Action[Prefix.Length..], record.At, record.Entry.ActorRole, record.Entry.ActorId, detail?.FromHost, detail?.ToHost);
    }

    private static string? Host(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.IdnHost : null;

    private sealed record WebhookChangeDetail(string MerchantId, string? FromHost, string? ToHost);
}

/// <summary>
/// One change to a merchant's webhook endpoint: <c>set</c> (registered or re-pointed, a new secret with it),
/// <c>secret-rotated</c> or <c>removed</c>; who made it (<c>byRole</c> operator or merchant, <c>by</c> their id), when,
/// and the endpoint's host before and after.
/// </summary>
public sealed record WebhookChange(string Change, DateTimeOffset At, string ByRole, string By, string? FromHost, string? ToHost);
