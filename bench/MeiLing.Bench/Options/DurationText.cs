using System.Globalization;

namespace MeiLing.Bench.Options;

/// <summary>Durations as people type them: <c>500ms</c>, <c>10s</c>, <c>2m</c>, or a bare number of seconds.</summary>
public static class DurationText
{
    private static readonly (string Suffix, double Seconds)[] Units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        var trimmed = text.Trim().ToLowerInvariant();
        var scale = 1.0;
        foreach (var (suffix, seconds) in Units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.Ordinal))
            {
                trimmed = trimmed[..^suffix.Length];
                scale = seconds;
                break;
            }
        }

        if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || double.IsInfinity(value))
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(value * scale);
        return true;
    }

    public static string Format(TimeSpan duration) =>
        duration.TotalSeconds >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.##}s")
            : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0}ms");
}
