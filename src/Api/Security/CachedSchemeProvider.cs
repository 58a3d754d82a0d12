using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MeiLing.Api.Security;

/// <summary>
/// The framework's scheme provider answers every look-up with a new task: the authentication middleware asks for the
/// request-handling schemes and the default scheme on every request, and the remembered session's forwarding asks
/// again (about a sixteenth of a consent read's allocations, docs/performance.md, thirty-fifth round). The API's schemes
/// are fixed at start, so each answer is kept as a finished task. Only schemes that exist are kept, so the cache is as
/// small as the list of schemes; adding or removing a scheme drops it.
/// </summary>
public sealed class CachedSchemeProvider(IOptions<AuthenticationOptions> options) : AuthenticationSchemeProvider(options)
{
    // Replaced, not cleared, when the schemes change: a look-up that read the old schemes adds its answer to the old
    // dictionary, which nobody reads any more.
    private volatile ConcurrentDictionary<string, Task<AuthenticationScheme?>> _schemes = new(StringComparer.Ordinal);
    private volatile Task<IEnumerable<AuthenticationScheme>>? _requestHandlers;

    public override Task<AuthenticationScheme?> GetSchemeAsync(string name)
    {
        var schemes = _schemes;
        if (schemes.TryGetValue(name, out var known))
        {
            return known;
        }

        var found = base.GetSchemeAsync(name);
        if (found.IsCompletedSuccessfully && found.Result is not null)
        {
            schemes.TryAdd(name, found);
        }

        return found;
    }

    public override Task<IEnumerable<AuthenticationScheme>> GetRequestHandlerSchemesAsync() =>
        _requestHandlers ??= base.GetRequestHandlerSchemesAsync();

    public override void AddScheme(AuthenticationScheme scheme)
    {
        base.AddScheme(scheme);
        Forget();
    }

    public override bool TryAddScheme(AuthenticationScheme scheme)
    {
        var added = base.TryAddScheme(scheme);
        Forget();
        return added;
    }

    public override void RemoveScheme(string name)
    {
        base.RemoveScheme(name);
        Forget();
    }

    private void Forget()
    {
        _schemes = new(StringComparer.Ordinal);
        _requestHandlers = null;
    }
}
