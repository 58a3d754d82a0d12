using System.Runtime.InteropServices;

namespace MeiLing.Bench.Reporting;

/// <summary>The facts about this machine that a figure is meaningless without.</summary>
public sealed record MachineInfo(int Processors, string CpuModel, double MemoryGiB, string Os, string Runtime, string LoadAverage)
{
    public static MachineInfo Current() => new(
        Environment.ProcessorCount,
        ReadCpuModel(),
        Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        ReadLoadAverage());

    /// <summary>The 1-minute load average before the run: other work on the machine skews every figure.</summary>
    public double? OneMinuteLoad =>
        double.TryParse(LoadAverage.Split(' ')[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var load)
            ? load
            : null;

    private static string ReadLoadAverage() =>
        ReadFirstLine("/proc/loadavg") is { } line ? string.Join(' ', line.Split(' ').Take(3)) : "unknown";

    private static string ReadCpuModel()
    {
        var line = ReadFirstLine("/proc/cpuinfo", l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string? ReadFirstLine(string path, Func<string, bool>? match = null)
    {
        try
        {
            return File.ReadLines(path).FirstOrDefault(match ?? (_ => true));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
