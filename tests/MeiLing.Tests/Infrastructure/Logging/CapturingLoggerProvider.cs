using System.Collections;
using Microsoft.Extensions.Logging;

namespace MeiLing.Tests.Infrastructure.Logging;

/// <summary>
/// An in-memory logger provider that keeps every line written through it, with its structured values
/// and its scopes' values, in a <see cref="LogSink"/>.
/// </summary>
public sealed class CapturingLoggerProvider(LogSink sink, string host) : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    /// <summary>
    /// Adds the provider and opens the levels for the whole host: Trace for the platform's own
    /// categories, Information for every other. These rules are as specific as the configuration's
    /// (<c>Microsoft.AspNetCore</c>, <c>Orleans</c>) and come later, so they win; a category the host
    /// silences in code under a longer name stays silenced, as it would in production.
    /// </summary>
    public static void AddTo(ILoggingBuilder logging, LogSink sink, string host)
    {
        logging.AddProvider(new CapturingLoggerProvider(sink, host));
        logging.SetMinimumLevel(LogLevel.Trace);
        logging.AddFilter(null, LogLevel.Information);
        foreach (var category in new[] { "Microsoft", "Microsoft.AspNetCore", "Microsoft.Hosting", "System", "Orleans", "Polly", "Npgsql" })
        {
            logging.AddFilter(category, LogLevel.Information);
        }

        logging.AddFilter("MeiLing", LogLevel.Trace);
    }

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private void Write<TState>(string category, LogLevel level, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = new List<string>();
        AddValues(values, state);
        _scopes.ForEachScope((scope, list) => AddValues(list, scope), values);
        sink.Add(new CapturedLogLine(host, category, level, formatter(state, exception), values, exception?.ToString()));
    }

    private static void AddValues(List<string> values, object? state)
    {
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            values.AddRange(pairs.Select(pair => $"{pair.Key}={Render(pair.Value)}"));
        }
        else if (state is not null)
        {
            values.Add(Render(state));
        }
    }

    // A collection value is written item by item, as structured sinks do.
    private static string Render(object? value) => value switch
    {
        null => "",
        string text => text,
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Render)),
        _ => value.ToString() ?? "",
    };

    private sealed class CapturingLogger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Write(category, logLevel, state, exception, formatter);
    }
}
