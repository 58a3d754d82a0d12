using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace MeiLing.Tests.Infrastructure;

/// <summary>Counts the grain calls an API host makes, per grain interface: shows what a request cost the cluster.</summary>
public sealed class GrainCallCounter : IOutgoingGrainCallFilter
{
    // The counter of the request in hand, for the co-hosted API, whose calls the silo's filters see.
    private static readonly AsyncLocal<GrainCallCounter?> OfRequest = new();

    private readonly ConcurrentDictionary<Type, int> _calls = new();

    public int CallsTo<TGrain>() => _calls.GetValueOrDefault(typeof(TGrain));

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        Count(context);
        return context.Invoke();
    }

    private void Count(IOutgoingGrainCallContext context) =>
        _calls.AddOrUpdate(context.InterfaceMethod.DeclaringType!, 1, (_, count) => count + 1);

    /// <summary>Installs a new counter in an API host: in its Orleans client, and, co-hosted, for its requests' calls through the silo.</summary>
    public static GrainCallCounter InstallIn(IWebHostBuilder web)
    {
        var counter = new GrainCallCounter();
        web.ConfigureServices(services =>
        {
            services.AddSingleton<IOutgoingGrainCallFilter>(counter);
            services.AddSingleton<IStartupFilter>(new CountingRequests(counter));
        });
        return counter;
    }

    /// <summary>In each test silo of a co-hosted run: hands the API's calls (made outside any grain) to the counter of their request.</summary>
    public sealed class InSilo : IOutgoingGrainCallFilter
    {
        public Task Invoke(IOutgoingGrainCallContext context)
        {
            if (context.SourceContext is null && OfRequest.Value is { } counter)
            {
                counter.Count(context);
            }

            return context.Invoke();
        }
    }

    private sealed class CountingRequests(GrainCallCounter counter) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                OfRequest.Value = counter;
                await inner(context);
            });
            next(app);
        };
    }
}
