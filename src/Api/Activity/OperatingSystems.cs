namespace MeiLing.Api.Activity;

/// <summary>A coarse operating-system name from a User-Agent header, for the activity log.</summary>
public static class OperatingSystems
{
    private static readonly (string Marker, string Name)[] Known =
    [
        ("HarmonyOS", "HarmonyOS"),
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ];

    public static string? FromUserAgent(string? userAgent) =>
        userAgent is null ? null : Known.FirstOrDefault(os => userAgent.Contains(os.Marker, StringComparison.Ordinal)).Name;
}
