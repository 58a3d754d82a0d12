using System.Diagnostics.CodeAnalysis;

namespace MeiLing.Grains.Users;

/// <summary>
/// Mainland China mobile numbers (P1.1): 11 digits starting 1[3-9], accepted with an optional +86/86/0086
/// prefix and spaces or dashes, normalized to the bare 11 digits.
/// </summary>
public static class PhoneNumber
{
    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        if (string.IsNullOrWhiteSpace(input) || input.Length > 32)
        {
            return false;
        }

        var trimmed = input.Trim();
        // An international form must be China's (+86); "+1 415 555 0100" has 11 digits but is not ours.
        if (trimmed.StartsWith('+') && !trimmed.StartsWith("+86", StringComparison.Ordinal))
        {
            return false;
        }

        Span<char> digits = stackalloc char[32];
        var count = 0;
        foreach (var c in trimmed)
        {
            if (c is >= '0' and <= '9')
            {
                digits[count++] = c;
            }
            else if (c is not (' ' or '-' or '+' or '(' or ')'))
            {
                return false;
            }
        }

        ReadOnlySpan<char> number = digits[..count];
        if (number.Length == 15 && number.StartsWith("0086"))
        {
            number = number[4..];
        }
        else if (number.Length == 13 && number.StartsWith("86"))
        {
            number = number[2..];
        }

        if (number.Length != 11 || number[0] != '1' || number[1] is < '3' or > '9')
        {
            return false;
        }

        normalized = number.ToString();
        return true;
    }

    /// <summary>
    /// The number as support reads it, its last four digits only (*******8000), for display to anyone but its owner (P1.7):
    /// the first seven name the carrier and the home area, which support could narrow from an address and then confirm
    /// guess by guess in the console's find box.
    /// </summary>
    public static string Mask(string normalized) =>
        normalized.Length == 11 ? $"*******{normalized[7..]}" : "***";
}
