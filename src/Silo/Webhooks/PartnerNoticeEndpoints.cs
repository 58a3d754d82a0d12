using System.Diagnostics.CodeAnalysis;

namespace MeiLing.Silo.Webhooks;

/// <summary>
/// Where each partner outside the platform is told of data-rights events (<c>MEILING_PARTNER_NOTICE_URLS</c>,
/// <c>name=https://…[,name=https://…]</c>), with the secret it is signed with: the partner's own, the one it signs its
/// confirmations with (<c>MEILING_PAYMENT_PARTNER_SECRETS</c>).
/// </summary>
public sealed class PartnerNoticeEndpoints(IReadOnlyDictionary<string, PartnerNoticeEndpoint> endpoints)
{
    public bool TryGet(string partner, [NotNullWhen(true)] out PartnerNoticeEndpoint? endpoint) => endpoints.TryGetValue(partner, out endpoint);

    public bool Has(string partner) => endpoints.ContainsKey(partner);

    /// <summary>Parses the setting; false (with nothing) when an entry is not <c>name=absolute http(s) URL</c> or names a partner twice.</summary>
    public static bool TryParseUrls(string? text, [NotNullWhen(true)] out IReadOnlyDictionary<string, Uri>? urls)
    {
        var parsed = new Dictionary<string, Uri>(StringComparer.Ordinal);
        urls = parsed;
        foreach (var entry in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = entry.IndexOf('=', StringComparison.Ordinal);
            if (separator < 1
                || !Uri.TryCreate(entry[(separator + 1)..], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
                || !parsed.TryAdd(entry[..separator], url))
            {
                urls = null;
                return false;
            }
        }

        return true;
    }
}

/// <summary>One partner's notice URL and signing secret (<c>whsec_…</c>).</summary>
public sealed record PartnerNoticeEndpoint(Uri Url, string Secret);
