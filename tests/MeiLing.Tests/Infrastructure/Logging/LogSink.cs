using System.Collections.Concurrent;

namespace MeiLing.Tests.Infrastructure.Logging;

/// <summary>
/// Where captured log lines go, one sink per fixture: silos reach theirs by id through configuration
/// (they are built from types, not instances), as they reach their <see cref="TestClock"/>.
/// </summary>
public sealed class LogSink
{
    private static readonly ConcurrentDictionary<string, LogSink> Sinks = new();

    private readonly ConcurrentQueue<CapturedLogLine> _lines = new();

    public static LogSink For(string id) => Sinks.GetOrAdd(id, _ => new LogSink());

    public IReadOnlyList<CapturedLogLine> Lines => [.. _lines];

    public void Add(CapturedLogLine line) => _lines.Enqueue(line);
}
