namespace MeiLing.Grains.Access;

/// <summary>
/// What every issued API key looks like: a prefix naming the role, an underscore, then 43 base64url
/// characters (256 random bits). The API refuses anything else before a grain is asked (P4.4).
/// </summary>
public static class ApiKeyShape
{
    /// <summary>Characters of the random part: 32 bytes as unpadded base64url.</summary>
    public const int RandomLength = 43;

    /// <summary>The prefix of a role's keys, without the underscore.</summary>
    public static string PrefixOf(CallerRole role) => role switch
    {
        CallerRole.Operator => "op",
        CallerRole.Merchant => "mk",
        CallerRole.Support => "sk",
        _ => "k",
    };

    /// <summary>Whether <paramref name="key"/> could be a key the platform issued.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> key)
    {
        var separator = key.IndexOf('_');
        if (separator < 0 || key.Length - separator - 1 != RandomLength || !IsKnownPrefix(key[..separator]))
        {
            return false;
        }

        foreach (var c in key[(separator + 1)..])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsKnownPrefix(ReadOnlySpan<char> prefix) =>
        prefix is "op" or "mk" or "sk" or "k";
}
