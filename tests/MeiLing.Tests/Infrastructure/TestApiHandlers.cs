using System.Collections.Concurrent;

namespace MeiLing.Tests.Infrastructure;

/// <summary>
/// How a test cluster's silos reach the API that the same fixture hosts in memory: the sandbox payment
/// partners confirm payments through it, as they reach the real API over HTTP under <c>scripts/run</c>.
/// The API starts after the silos, so the silos ask for its handler only when they first call.
/// </summary>
public static class TestApiHandlers
{
    private static readonly ConcurrentDictionary<string, Func<HttpMessageHandler>> Handlers = new();

    public static void Register(string fixtureId, Func<HttpMessageHandler> handler) => Handlers[fixtureId] = handler;

    public static HttpMessageHandler For(string fixtureId) =>
        Handlers.TryGetValue(fixtureId, out var handler)
            ? handler()
            : throw new InvalidOperationException($"No API is registered for fixture {fixtureId} yet.");
}
