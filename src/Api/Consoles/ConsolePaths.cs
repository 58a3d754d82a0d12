namespace MeiLing.Api.Consoles;

/// <summary>Where the two consoles live, and which return URLs their sign-in pages follow.</summary>
public static class ConsolePaths
{
    public const string Console = "/console";
    public const string Privacy = "/privacy";
    public const string ConsoleSignIn = "/console/signin";
    public const string PrivacySignIn = "/privacy/signin";

    public static bool IsConsole(PathString path) => path.StartsWithSegments(Console);

    public static bool IsPrivacy(PathString path) => path.StartsWithSegments(Privacy);

    public static bool IsPage(PathString path) => IsConsole(path) || IsPrivacy(path);

    /// <summary>
    /// A sign-in's return URL is followed only when it is a path inside the same console: an absolute
    /// URL, a protocol-relative one (<c>//evil</c>), a backslash trick (<c>/\evil</c>) or a path elsewhere
    /// on the host falls back to the console's home. No open redirect. Nor one beyond printable ASCII, which the
    /// server refuses to write into the Location header (a 500 where the sign-in had succeeded). Nor one with a dot segment
    /// (<c>/privacy/../v1/…</c>, <c>%2e%2e</c>), which the browser resolves to a path outside the console (*reviewer*).
    /// </summary>
    public static string SafeReturnUrl(string? returnUrl, string home)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 512
            || returnUrl[0] != '/' || returnUrl.StartsWith("//", StringComparison.Ordinal)
            || returnUrl.Contains('\\', StringComparison.Ordinal)
            || returnUrl.Any(c => c is < ' ' or > '~')
            || HasDotSegment(returnUrl)
            || !(returnUrl == home || returnUrl.StartsWith(home + "/", StringComparison.Ordinal) || returnUrl.StartsWith(home + "?", StringComparison.Ordinal)))
        {
            return home;
        }

        return returnUrl;
    }

    // Any dot segment, plain or percent-encoded, before the query or the fragment (*reviewer*: `..#` resolves as `..`): no
    // console link needs one, nor an encoded fragment or query mark that would end a segment once decoded.
    private static bool HasDotSegment(string returnUrl)
    {
        var end = returnUrl.IndexOfAny(['?', '#']);
        var path = (end < 0 ? returnUrl : returnUrl[..end])
            .Replace("%2e", ".", StringComparison.OrdinalIgnoreCase)
            .Replace("%23", "#", StringComparison.OrdinalIgnoreCase)
            .Replace("%3f", "?", StringComparison.OrdinalIgnoreCase);
        return path.Split('/', '#', '?').Any(segment => segment is "." or "..");
    }
}
