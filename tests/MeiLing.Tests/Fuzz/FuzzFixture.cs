using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace MeiLing.Tests.Fuzz;

/// <summary>A platform of its own for the fuzzer, so thousands of requests neither slow nor disturb other collections.</summary>
public sealed class FuzzFixture : PlatformFixture
{
    // The fuzzer is one address and a handful of credentials sending thousands of requests: it tests
    // what the API does with them, not the abuse limits (RateLimitTests do).
    protected override void ConfigureApi(IWebHostBuilder web)
    {
        web.UseSetting("RATE_LIMIT_PER_SECOND", "1000000");
        web.UseSetting("RATE_LIMIT_PER_MERCHANT_PER_SECOND", "1000000");
        web.UseSetting("RATE_LIMIT_PER_STAFF_KEY_PER_SECOND", "1000000");
        web.UseSetting("RATE_LIMIT_ANONYMOUS_PER_SECOND", "1000000");

        // Thousands of refused credentials would each print a line; the test reports what matters.
        web.ConfigureLogging(logging => logging.ClearProviders());
    }
}

[CollectionDefinition(Name)]
public sealed class FuzzCollection : ICollectionFixture<FuzzFixture>
{
    public const string Name = "fuzz";
}
