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
    /// server refuses to write into the Location header (a 500 where the sign-in had succeeded).
    /// </summary>
    public static string SafeReturnUrl(string? returnUrl, string home)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 512
            || returnUrl[0] != '/' || returnUrl.StartsWith("//", StringComparison.Ordinal)
            || returnUrl.Contains('\\', StringComparison.Ordinal)
            || returnUrl.Any(c => c is < ' ' or > '~')
            || !(returnUrl == home || returnUrl.StartsWith(home + "/", StringComparison.Ordinal) || returnUrl.StartsWith(home + "?", StringComparison.Ordinal)))
        {
            return home;
        }

        return returnUrl;
    }
}
