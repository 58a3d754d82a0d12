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
            web.UseSetting("OPERATOR_KEY", OperatorKey);
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
    public async Task The_silo_serves_the_dashboard_to_the_operator()
    {
        var response = await OperatorOnSilo().GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task P4_4_the_silos_dashboard_and_memory_need_the_operator_key_and_its_probes_do_not()
    {
        var anonymous = _silo.CreateClient();
        var wrong = _silo.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("operator:not-the-operator-key")));
        var byHeader = _silo.CreateClient();
        byHeader.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);

        var dashboard = await anonymous.GetAsync("/dashboard/");
        await dashboard.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Basic", dashboard.Headers.WwwAuthenticate.Single().Scheme);
        await (await anonymous.GetAsync("/health/memory")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await wrong.GetAsync("/dashboard/")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await byHeader.GetAsync("/health/memory")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
    }

    // A browser sends the Basic password it remembers with any request to the silo, one another site's page makes too: the
    // dashboard is not to be framed, and the full collections of /health/memory need the key as a header no page can add.
    [Fact]
    public async Task P4_4_the_silos_pages_are_never_framed_and_its_memory_lever_needs_the_key_as_a_header()
    {
        var dashboard = await OperatorOnSilo().GetAsync("/dashboard/");
        var memoryByBasic = await OperatorOnSilo().GetAsync("/health/memory");
        // Spelt as routing still matches it (*reviewer*): a trailing slash, another case.
        var otherSpellings = await Task.WhenAll(new[] { "/health/memory/", "/HEALTH/MEMORY/" }.Select(path => OperatorOnSilo().GetAsync(path)));

        Assert.Equal("DENY", dashboard.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("frame-ancestors 'none'", dashboard.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", dashboard.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", dashboard.Headers.GetValues("Referrer-Policy").Single());
        Assert.False(dashboard.Headers.Contains("Server"));
        await memoryByBasic.AssertProblemAsync(HttpStatusCode.Unauthorized);
        foreach (var spelt in otherSpellings)
        {
            await spelt.AssertProblemAsync(HttpStatusCode.Unauthorized);
        }
    }

    // The dashboard's grain-state view activated any grain named in its query and called its parameterless methods: a
    // user's profile read whole and unaudited, or an order anonymized, by a GET the remembered Basic password carries.
    [Fact]
    public async Task P1_7_the_dashboards_grain_state_view_is_closed_even_to_the_operator()
    {
        var asked = await OperatorOnSilo().GetAsync("/dashboard/GrainState?grainId=usr_x&grainType=MeiLing.Grains.Users.UserGrain");
        var otherCase = await OperatorOnSilo().GetAsync("/dashboard/grainstate/?grainId=usr_x&grainType=MeiLing.Grains.Users.UserGrain");

        await asked.AssertProblemAsync(HttpStatusCode.NotFound);
        await otherCase.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    // A.2, P1.7: the reminder list named every grain holding a reminder with the reminder's name, so an operator (or a page
    // riding their remembered Basic password) read which users are children awaiting their guardian ("guardian-deadline").
    [Fact]
    public async Task A_2_P1_7_the_dashboards_reminder_list_is_closed_even_to_the_operator()
    {
        var firstPage = await OperatorOnSilo().GetAsync("/dashboard/Reminders");
        var laterPage = await OperatorOnSilo().GetAsync("/dashboard/reminders/2");

        await firstPage.AssertProblemAsync(HttpStatusCode.NotFound);
        await laterPage.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task P4_4_the_dashboards_live_log_stream_is_off()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var trace = await OperatorOnSilo().GetAsync("/dashboard/Trace", HttpCompletionOption.ResponseHeadersRead, timeout.Token);

        Assert.NotEqual(HttpStatusCode.OK, trace.StatusCode);
    }

    // P4.4: the abuse windows counted in memory alone hold only while an idle activation outlives them; a silo whose idle
    // age was lowered would let a guesser wait out the collection for a fresh count.
    [Fact]
    public void P4_4_an_idle_activation_outlives_every_abuse_window_kept_in_memory_alone()
    {
        var collection = _silo.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Orleans.Configuration.GrainCollectionOptions>>().Value;
        var age = collection.CollectionAge;

        // Nor is it shortened for the grains that count them: the user's and the number's sign-in index.
        foreach (var grain in new[] { typeof(MeiLing.Grains.Users.UserGrain), typeof(MeiLing.Grains.Users.PhoneIndexGrain) })
        {
            Assert.Empty(grain.GetCustomAttributes(typeof(CollectionAgeLimitAttribute), inherit: true));
            Assert.DoesNotContain(collection.ClassSpecificCollectionAge.Keys, key => key.Contains(grain.Name, StringComparison.Ordinal));
        }

        Assert.False(collection.EnableActivationSheddingOnMemoryPressure);
        Assert.True(age >= MeiLing.Grains.Users.SignInFailures.Window, $"{age} < the failed sign-ins' window");
        Assert.True(age >= MeiLing.Grains.Users.UserQuotas.WrongPasswordWindow, $"{age} < the wrong current passwords' window");
        Assert.True(age >= TimeSpan.FromMinutes(1), $"{age} < the consent changes' and location samples' window");
    }

    // HTTP Basic, as a browser sends it after asking: any user name, the operator key as the password.
    private HttpClient OperatorOnSilo()
    {
        var client = _silo.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("operator:" + OperatorKey)));
        return client;
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
