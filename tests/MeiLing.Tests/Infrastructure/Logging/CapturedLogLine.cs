using Microsoft.Extensions.Logging;

namespace MeiLing.Tests.Infrastructure.Logging;

/// <summary>
/// One log line as a sink would write it: the rendered message, every structured value, the values of
/// the scopes it was written in, and the exception with its messages and stack.
/// </summary>
public sealed record CapturedLogLine(
    string Host,
    string Category,
    LogLevel Level,
    string Message,
    IReadOnlyList<string> Values,
    string? Exception)
{
    /// <summary>Every piece of text of the line, for scanning.</summary>
    public IEnumerable<string> Texts() => Values.Prepend(Message).Append(Exception ?? "").Append(Category);

    public override string ToString() => $"[{Host}] {Level} {Category}: {Message}";
}
