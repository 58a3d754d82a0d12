using System.Collections.Concurrent;

namespace MeiLing.Bench.Studies;

/// <summary>Named figures the studies measured, for the targets table (e.g. <c>idle-grain-bytes</c>).</summary>
public sealed class StudyFigures
{
    public const string HalfLoadP99 = "consent-read-half-load-p99-ms";
    public const string HalfLoadRate = "consent-read-half-load-rate";
    public const string HalfLoadPingP99 = "ping-at-half-load-rate-p99-ms";
    public const string IdleGrainBytes = "idle-grain-bytes";
    public const string Export1000Ms = "export-1000-orders-ms";

    private readonly ConcurrentDictionary<string, double> _figures = new();

    public void Set(string name, double value) => _figures[name] = value;

    public double? Get(string name) => _figures.TryGetValue(name, out var value) ? value : null;

    public IReadOnlyDictionary<string, double> All => _figures;
}
