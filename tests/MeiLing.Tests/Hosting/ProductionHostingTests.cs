using MeiLing.Api;
using MeiLing.Silo;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MeiLing.Tests.Hosting;

/// <summary>
/// The real silo and API hosts, configured as in production: ADO.NET clustering on PostgreSQL,
/// the schema applied by the silo at start, and the API finding gateways in the membership table.
/// </summary>
public sealed class ProductionHostingTests : IAsyncLifetime
{
    private const string OperatorKey = "op_hosting_test_key_0123456789";

    private TestDatabase _database = null!;
    private WebApplicationFactory<SiloAssemblyMarker> _silo = null!;
    private WebApplicationFactory<ApiAssemblyMarker> _api = null!;
    private int _siloPort;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(migrate: false);
        var ports = FreePorts.Take(2);
        _siloPort = ports[0];
        var clusterId = $"hosting-{Guid.NewGuid():N}"[..20];

        _silo = new WebApplicationFactory<SiloAssemblyMarker>().WithWebHostBuilder(web =>
        {
            web.UseSetting("POSTGRES", _database.ConnectionString);
            web.UseSetting("CLUSTER_ID", clusterId);
            web.UseSetting("SILO_PORT", ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("GATEWAY_PORT", ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("SILO_NAME", "hosting-test");
            web.UseSetting("PHONE_HASH_KEY", TestSiloConfigurator.PhoneHashKey);
            web.UseSetting("MASTER_KEYS", TestSiloConfigurator.MasterKeys);
        });
        _api = new WebApplicationFactory<ApiAssemblyMarker>().WithWebHostBuilder(web =>
        {
            web.UseSetting("POSTGRES", _database.ConnectionString);
            web.UseSetting("CLUSTER_ID", clusterId);
            web.UseSetting("OPERATOR_KEY", OperatorKey);
        });
        _ = _silo.Server;
        _ = _api.Server;
    }

    [Fact]
    public async Task The_silo_applies_the_schema_and_joins_the_membership_table_as_active()
    {
        var ready = await _silo.CreateClient().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.True(await _database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations") > 0);
        Assert.Equal(3, await _database.ScalarAsync<int>("SELECT status FROM orleans_membership WHERE port = $1", _siloPort));
    }

    [Fact]
    public async Task The_silo_serves_the_dashboard()
    {
        var response = await _silo.CreateClient().GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_api_finds_the_silo_through_postgresql_and_serves_requests()
    {
        var client = _api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);

        var created = await client.PostAsJsonAsync("/v1/merchants", new { name = "Through membership" });
        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _silo.DisposeAsync();
        await _database.DisposeAsync();
    }
}
