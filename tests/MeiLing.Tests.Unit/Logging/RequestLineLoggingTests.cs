using MeiLing.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MeiLing.Tests.Unit.Logging;

/// <summary>
/// P4.4: the framework's request lines carry each raw URL, query string included, and no logging setting an operator
/// may write turns them back on, whether it names a provider or not; the platform's own categories keep their levels.
/// </summary>
public sealed class RequestLineLoggingTests
{
    [Theory]
    [InlineData("Logging:LogLevel:Default", "Trace")]
    [InlineData("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Information")]
    [InlineData("Logging:Console:LogLevel:Default", "Trace")]
    [InlineData("Logging:Console:LogLevel:Microsoft.AspNetCore", "Debug")]
    [InlineData("Logging:Console:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Information")]
    [InlineData("Logging:Console:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics*", "Information")]
    [InlineData("Logging:LogLevel:*Microsoft.AspNetCore.Hosting.Diagnostics", "Information")]
    public void P4_4_no_logging_setting_turns_the_request_lines_back_on(string setting, string level)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection([new(setting, level)]);
        builder.Logging.KeepRequestLinesOff();
        using var host = builder.Build();
        var loggers = host.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger(RequestLineLogging.Category).IsEnabled(LogLevel.Critical));
        Assert.True(loggers.CreateLogger("MeiLing.Api.Anything").IsEnabled(LogLevel.Warning));
    }
}
