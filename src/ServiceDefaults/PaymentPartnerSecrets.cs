using System.Diagnostics.CodeAnalysis;

namespace MeiLing.ServiceDefaults;

/// <summary>
/// Each payment partner's signing secret, <c>name=whsec_…[,name=whsec_…]</c>: partners sign their
/// confirmations with it (Standard Webhooks), and the API accepts a confirmation only under the secret of
/// the partner it names. A partner without a secret cannot confirm anything.
/// </summary>
public static class PaymentPartnerSecrets
{
    private const string Prefix = "whsec_";
    private const int MinimumKeyBytes = 24;

    public static bool TryParse(string? text, [NotNullWhen(true)] out IReadOnlyDictionary<string, string>? secrets)
    {
        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        secrets = parsed;
        foreach (var entry in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = entry.IndexOf('=', StringComparison.Ordinal);
            if (separator < 1 || !IsSecret(entry[(separator + 1)..]) || !parsed.TryAdd(entry[..separator], entry[(separator + 1)..]))
            {
                secrets = null;
                return false;
            }
        }

        return true;
    }

    private static bool IsSecret(string secret)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var key = new byte[secret.Length];
        return Convert.TryFromBase64String(secret[Prefix.Length..], key, out var length) && length >= MinimumKeyBytes;
    }
}
