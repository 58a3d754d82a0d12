
using MeiLing.Api;
using MeiLing.Api.Extensions;
using MeiLing.ServiceDefaults;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace MeiLing.Tests.Infrastructure;

/// <summary>
/// One platform for a whole test collection: a fresh database with the schema, a two-silo test cluster
/// on real sockets storing into it, and the API host (under <see cref="WebApplicationFactory{T}"/>)
/// connected to that cluster's gateways as a real client; or, when <c>MEILING_TEST_TOPOLOGY=cohosted</c>,
/// making its grain calls through the first silo in the same process, as the co-hosted topology does.
/// </summary>
public class PlatformFixture : IAsyncLifetime
{
    public const string OperatorKey = "op_test_operator_key_0123456789";

    /// <summary>The API's session signing key: base64 of 64 fixed bytes (long enough for any HMAC, so a test can sign otherwise).</summary>
    public static readonly string JwtKey = Convert.ToBase64String([.. Enumerable.Range(1, 64).Select(i => (byte)i)]);

    private WebApplicationFactory<ApiAssemblyMarker>? _api;

    public TestDatabase Database { get; private set; } = null!;

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The services of each active silo (all run in this process), to look at what each silo holds.</summary>
    public IEnumerable<IServiceProvider> EverySilo => Cluster.GetActiveSilos().Cast<InProcessSiloHandle>().Select(silo => silo.SiloHost.Services);

    /// <summary>The silos' clock; only the time-travel collection moves it.</summary>
    public TestClock Clock => TestClock.For(ClockId);

    private string ClockId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>How long a data-rights request waits before it starts: long enough to see it open.</summary>
    protected virtual TimeSpan RequestStartDelay => TimeSpan.FromSeconds(1);

    /// <summary>How often an unfinished request's reminder wakes it.</summary>
    protected virtual TimeSpan RequestDrivePeriod => TimeSpan.FromSeconds(2);

    protected virtual int Silos => 2;

    /// <summary>The API topology this run tests (<c>MEILING_TEST_TOPOLOGY</c>, separate unless it says cohosted).</summary>
    public static string Topology { get; } =
        Environment.GetEnvironmentVariable("MEILING_TEST_TOPOLOGY") == Topologies.Cohosted ? Topologies.Cohosted : Topologies.Separate;

    public static bool IsCohosted => Topology == Topologies.Cohosted;

    public WebApplicationFactory<ApiAssemblyMarker> Api => _api ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(await ServerAsync());
        await StartCompanionsAsync();

        var builder = new TestClusterBuilder((short)Silos);
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.Options.GatewayPerSilo = true;
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TestSiloConfigurator.ConnectionStringKey] = Database.ConnectionString,
            [TestSiloConfigurator.ClockKey] = ClockId,
            [TestSiloConfigurator.RequestStartDelayKey] = RequestStartDelay.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            [TestSiloConfigurator.RequestDrivePeriodKey] = RequestDrivePeriod.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            [TestSiloConfigurator.CohostedKey] = IsCohosted.ToString(),
        }));
        builder.AddSiloBuilderConfigurator<TestSiloConfigurator>();
        ConfigureCluster(builder);
        Cluster = builder.Build();
        await Cluster.DeployAsync();

        var gateways = string.Join(',', Cluster.GetActiveSilos().Select(silo => $"{silo.GatewayAddress.Endpoint.Address}:{silo.GatewayAddress.Endpoint.Port}"));
        _api = new WebApplicationFactory<ApiAssemblyMarker>().WithWebHostBuilder(web =>
        {
            web.UseSetting("POSTGRES", Database.ConnectionString);
            web.UseSetting("CLUSTER_ID", Cluster.Options.ClusterId);
            web.UseSetting("SERVICE_ID", Cluster.Options.ServiceId);
            web.UseSetting("GATEWAYS", gateways);
            web.UseSetting("TOPOLOGY", Topology);
            if (IsCohosted)
            {
                var silo = ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services;
                web.ConfigureServices(services => services.AddGrainsOfSilo(silo));
            }

            web.UseSetting("OPERATOR_KEY", OperatorKey);
            web.UseSetting("JWT_KEY", JwtKey);
            web.UseSetting("PAYMENT_PARTNER_SECRETS", TestSiloConfigurator.PartnerSecrets);

            // Every test request comes from the same (absent) address: the per-address sign-up and
            // sign-in allowance is meant for the internet, not for a suite registering hundreds of users.
            web.UseSetting("RATE_LIMIT_CREDENTIALS_PER_MINUTE", "1000000");
            // A failed sign-in's floor is its own test's (IdentityTests): tests that fail sign-ins by the dozen skip it.
            web.UseSetting("SIGN_IN_FAILURE_FLOOR_MS", "0");
            web.UseSetting("RATE_LIMIT_CODES_PER_MINUTE", "1000000");
            web.UseSetting("RATE_LIMIT_CODES_PER_DAY", "100000000");
            web.UseSetting("RATE_LIMIT_WRONG_CODES_PER_DAY", "100000000");
            // Tests act as one support agent after another as fast as they can; RateLimitTests check the support bucket.
            web.UseSetting("RATE_LIMIT_SUPPORT_PER_SECOND", "1000000");
            // Tests open merchants and enrol staff with the operator's key as fast as they can; RateLimitTests check its bucket.
            web.UseSetting("RATE_LIMIT_OPERATOR_WRITES_PER_SECOND", "1000000");
            // Tests poll a user's activity and disclosures as fast as they come; RateLimitTests check the heavy reads' bucket.
            web.UseSetting("RATE_LIMIT_HEAVY_READS_PER_SECOND", "1000000");
            // The same for wrong credentials: many tests present them on purpose, all from that one address.
            web.UseSetting("RATE_LIMIT_FAILED_AUTH_PER_MINUTE", "1000000");
            ConfigureApi(web);
        });
        _ = _api.Server;
        TestApiHandlers.Register(ClockId, () => _api.Server.CreateHandler());
    }

    /// <summary>The PostgreSQL server the fixture's database lives on: the one the collections share, unless a fixture starts its own.</summary>
    protected virtual Task<string> ServerAsync() => Task.FromResult(TestDatabase.SharedServer);

    /// <summary>A fixture's additions to the test cluster, before it is built.</summary>
    protected virtual void ConfigureCluster(TestClusterBuilder builder)
    {
    }

    /// <summary>A fixture's additions to the API host.</summary>
    protected virtual void ConfigureApi(IWebHostBuilder web)
    {
    }

    /// <summary>An API client; with <paramref name="apiKey"/>, every request carries it.</summary>
    public HttpClient Client(string? apiKey = null)
    {
        var client = Api.CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    public HttpClient Operator() => Client(OperatorKey);

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        await DisposeServerAsync();
        await StopCompanionsAsync();
    }

    /// <summary>Starts what a fixture's silos talk to outside the cluster (a partner's receiver), before they are built.</summary>
    protected virtual Task StartCompanionsAsync() => Task.CompletedTask;

    /// <summary>Stops what <see cref="StartCompanionsAsync"/> started, after the cluster.</summary>
    protected virtual Task StopCompanionsAsync() => Task.CompletedTask;

    /// <summary>Stops what <see cref="ServerAsync"/> started, after the database is dropped.</summary>
    protected virtual Task DisposeServerAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
