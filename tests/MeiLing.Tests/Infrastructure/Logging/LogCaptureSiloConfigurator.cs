using Orleans.TestingHost;

namespace MeiLing.Tests.Infrastructure.Logging;

/// <summary>Sends every silo's log lines to the fixture's <see cref="LogSink"/>, named in configuration.</summary>
public sealed class LogCaptureSiloConfigurator : ISiloConfigurator
{
    public const string SinkKey = "MeiLingTests:LogSink";

    public void Configure(ISiloBuilder siloBuilder)
    {
        var sink = LogSink.For(siloBuilder.Configuration[SinkKey] ?? throw new InvalidOperationException($"{SinkKey} is not configured."));
        siloBuilder.Services.AddLogging(logging => CapturingLoggerProvider.AddTo(logging, sink, "silo"));
    }
}
