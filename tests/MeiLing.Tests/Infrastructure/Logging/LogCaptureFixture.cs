using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;

namespace MeiLing.Tests.Infrastructure.Logging;

/// <summary>A platform whose API host and silos write every log line, at open levels, to one <see cref="LogSink"/>.</summary>
public sealed class LogCaptureFixture : PlatformFixture
{
    private readonly string _sinkId = Guid.NewGuid().ToString("N");

    public LogSink Logs => LogSink.For(_sinkId);

    protected override void ConfigureCluster(TestClusterBuilder builder)
    {
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [LogCaptureSiloConfigurator.SinkKey] = _sinkId,
        }));
        builder.AddSiloBuilderConfigurator<LogCaptureSiloConfigurator>();
    }

    protected override void ConfigureApi(IWebHostBuilder web) =>
        web.ConfigureLogging(logging =>
        {
            // Only this provider: the console would print the same lines again, at these open levels.
            logging.ClearProviders();
            CapturingLoggerProvider.AddTo(logging, Logs, "api");
        });
}

[CollectionDefinition(Name)]
public sealed class LogCaptureCollection : ICollectionFixture<LogCaptureFixture>
{
    public const string Name = "log-capture";
}
