using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeiLing.ServiceDefaults;

/// <summary>
/// The framework's "Request starting/finished" lines carry the raw URL, query string included, where a careless client may
/// put a phone number. No configuration may turn them on: request telemetry comes from metrics, which name route
/// templates (P4.4). Both web hosts keep them off: the API's, and the silo's own (health probes and the dashboard).
/// </summary>
public static class RequestLineLogging
{
    /// <summary>The framework's category that logs each request's full URL.</summary>
    public const string Category = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>
    /// Switches the category off altogether, not above Information: while it is enabled at any level the hosting layer
    /// gives every request a diagnostic Activity and a logging scope for lines that are never written, a twelfth of a
    /// consent read's allocations (docs/performance.md, twenty-sixth round). A startup failure is still logged by the host itself.
    /// </summary>
    public static ILoggingBuilder KeepRequestLinesOff(this ILoggingBuilder logging)
    {
        logging.AddFilter(Category, LogLevel.None);
        // Once, however many times a host asks: the rules it adds are the same.
        logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<LoggerFilterOptions>, EveryProviderToo>());
        return logging;
    }

    /// <summary>
    /// A rule that names a provider outranks every rule that names none, whatever their categories: a setting such as
    /// <c>Logging:Console:LogLevel:Default</c> would turn the lines back on for that provider. So, once the configuration
    /// is read (and on every reload), each provider a rule names has the category switched off as well, and a rule whose
    /// wildcard would reach the category with a longer name than it is dropped.
    /// </summary>
    private sealed class EveryProviderToo : IPostConfigureOptions<LoggerFilterOptions>
    {
        public void PostConfigure(string? name, LoggerFilterOptions options)
        {
            foreach (var wider in options.Rules.Where(ReachesWithALongerName).ToList())
            {
                options.Rules.Remove(wider);
            }

            foreach (var provider in options.Rules.Select(rule => rule.ProviderName).OfType<string>().Distinct().ToList())
            {
                options.Rules.Add(new LoggerFilterRule(provider, Category, LogLevel.None, filter: null));
            }
        }

        // Only a wildcard can be longer than the category and still reach it. The framework matches one the same way: the
        // text before the '*' begins the category, the text after it ends it, and the two do not overlap.
        private static bool ReachesWithALongerName(LoggerFilterRule rule)
        {
            var pattern = rule.CategoryName;
            var star = pattern?.IndexOf('*') ?? -1;
            if (pattern is null || pattern.Length <= Category.Length || star < 0)
            {
                return false;
            }

            var (before, after) = (pattern[..star], pattern[(star + 1)..]);
            return Category.Length >= before.Length + after.Length
                && Category.StartsWith(before, StringComparison.OrdinalIgnoreCase)
                && Category.EndsWith(after, StringComparison.OrdinalIgnoreCase);
        }
    }
}
