using MeiLing.Api;
using MeiLing.Api.Extensions;

namespace MeiLing.Silo.Extensions;

/// <summary>
/// <c>MEILING_TOPOLOGY=cohosted</c>: the API runs in the silo process, on its own port, with the same
/// composition as the separate API host (<see cref="ApiHostingExtensions"/>) and the silo's own grain client.
/// </summary>
public static class CohostedApi
{
    /// <summary>Starts the silo, then the API beside it; on a signal (or if the silo stops) stops the API first, then the silo.</summary>
    public static async Task RunWithApiAsync(this WebApplication silo, string[] args)
    {
        var settings = silo.Services.GetRequiredService<SiloSettings>();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(ApiAssemblyMarker).Assembly.GetName().Name,
        });
        builder.WebHost.UseUrls($"http://{SiloHostingExtensions.FormatHost(settings.HttpListenIp)}:{settings.ApiPort}");
        builder.AddMeiLingApi(silo.Services);
        await using var api = builder.Build();
        api.UseMeiLingApi();
        api.MapMeiLingApi();

        await silo.StartAsync();
        try
        {
            await api.StartAsync();
            // A silo that stops by itself (declared dead, a fatal error) takes its API down with it.
            using var siloStopping = silo.Lifetime.ApplicationStopping.Register(api.Lifetime.StopApplication);
            await api.WaitForShutdownAsync();
        }
        finally
        {
            await silo.StopAsync();
            await silo.DisposeAsync();
        }
    }
}
