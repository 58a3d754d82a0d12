using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;

namespace MeiLing.Tests.Infrastructure;

/// <summary>Counts the grain calls an API host makes, per grain interface: shows what a request cost the cluster.</summary>
public sealed class GrainCallCounter : IOutgoingGrainCallFilter
{
    private readonly ConcurrentDictionary<Type, int> _calls = new();

    public int CallsTo<TGrain>() => _calls.GetValueOrDefault(typeof(TGrain));

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        _calls.AddOrUpdate(context.InterfaceMethod.DeclaringType!, 1, (_, count) => count + 1);
        return context.Invoke();
    }

    /// <summary>Installs a new counter in an API host's Orleans client.</summary>
    public static GrainCallCounter InstallIn(IWebHostBuilder web)
    {
        var counter = new GrainCallCounter();
        web.ConfigureServices(services => services.AddSingleton<IOutgoingGrainCallFilter>(counter));
        return counter;
    }
}
