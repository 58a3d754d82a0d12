using System.Net;
using MeiLing.Api;
using MeiLing.Api.Extensions;
using MeiLing.Api.Security;
using MeiLing.ServiceDefaults;
using MeiLing.Tests.Users;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.WebUtilities;

namespace MeiLing.Tests.Api;

/// <summary>
/// Several API hosts behind a load balancer, and a host restarted: the support console's cookie and the forms'
/// antiforgery tokens are data-protected, and every host reads one key ring, kept sealed in PostgreSQL.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SharedKeyRingTests(PlatformFixture platform)
{
    [Fact]
    public async Task P4_4_a_console_session_and_a_form_token_issued_by_one_api_host_are_accepted_by_another()
    {
        var agent = await platform.EnrolStaffAsync("客服 甲", "support");
        var user = await platform.RegisterUserAsync();
        await using var other = AnotherHost();
        var jar = new CookieContainer();
        var (first, second) = (Browser(platform.Api, jar), Browser(other, jar));
        Assert.Equal(HttpStatusCode.Redirect, (await first.PostFormAsync("/console/signin", new() { ["apiKey"] = agent.ApiKey })).StatusCode);

        var page = await second.GetAsync("/console");
        // A form the first host served (its token and antiforgery cookie), posted to the second.
        var token = await first.FormTokenAsync("/console");
        var found = await second.PostAsync("/console?handler=Find", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["query"] = user.Phone, ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, found.StatusCode);
        Assert.Equal($"/console/users/{user.UserId}", found.Headers.Location!.OriginalString);
        // Hosts in one process would also share the framework's default ring on this machine's disk; hosts on
        // different machines share only the database, so the cookie's key must be there.
        Assert.Equal(1, await StoredKeyCountAsync(platform.Database, ConsoleCookie(jar)));
    }

    [Fact]
    public async Task P4_4_a_restarted_api_host_keeps_the_key_ring_which_the_database_holds_sealed()
    {
        var agent = await platform.EnrolStaffAsync("客服 乙", "support");
        var jar = new CookieContainer();
        await using (var host = AnotherHost())
        {
            Assert.Equal(HttpStatusCode.Redirect, (await Browser(host, jar).PostFormAsync("/console/signin", new() { ["apiKey"] = agent.ApiKey })).StatusCode);
        }

        var keysBefore = await platform.Database.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys");
        await using var restarted = AnotherHost();
        var page = await Browser(restarted, jar).GetAsync("/console");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(keysBefore, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys"));
        // The cookie's key is a row of the platform's database, its secret sealed: the row alone forges nothing.
        var stored = await platform.Database.ScalarAsync<string>(
            "SELECT xml FROM data_protection_keys WHERE friendly_name = $1", KeyNameOf(ConsoleCookie(jar)));
        Assert.NotNull(stored);
        Assert.Contains("<sealedSecret", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task P4_4_the_stored_key_ring_opens_only_under_the_api_hosts_session_key()
    {
        await using var database = await TestDatabase.CreateAsync();
        var agent = await platform.EnrolStaffAsync("客服 丙", "support");
        var jar = new CookieContainer();
        await using var host = AnotherHost(database);
        Assert.Equal(HttpStatusCode.Redirect, (await Browser(host, jar).PostFormAsync("/console/signin", new() { ["apiKey"] = agent.ApiKey })).StatusCode);

        // Someone with the table but another key (or a host after MEILING_JWT_KEY was rotated): the ring does not open.
        var otherKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var stranger = AnotherHost(database, web => web.UseSetting("JWT_KEY", otherKey));
        var strangerBrowser = Browser(stranger, jar);
        var page = await strangerBrowser.GetAsync("/console");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/console/signin", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
        // It makes a key of its own and carries on: signing in again works there.
        Assert.Equal(HttpStatusCode.Redirect, (await strangerBrowser.PostFormAsync("/console/signin", new() { ["apiKey"] = agent.ApiKey })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await strangerBrowser.GetAsync("/console")).StatusCode);
        Assert.Equal(2, await database.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys"));
    }

    // The ring gains a key every 90 days and kept them all: a host deletes, when it starts, keys that expired more
    // than 180 days ago (and their revocations), and keeps one expired lately (150 days) and the current one.
    [Fact]
    public async Task P4_4_a_host_deletes_keys_long_expired_and_keeps_the_lately_expired_and_the_current_one()
    {
        await using var database = await TestDatabase.CreateAsync();
        var now = DateTimeOffset.UtcNow;
        var ring = KeyManagerOf(database);
        var old = ring.CreateNewKey(now.AddDays(-290), now.AddDays(-200));
        ring.RevokeKey(old.KeyId, "superseded");
        var lately = ring.CreateNewKey(now.AddDays(-240), now.AddDays(-150));
        var current = ring.CreateNewKey(now.AddDays(-30), now.AddDays(60));
        Assert.Equal(4, await database.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys"));

        await using var host = AnotherHost(database);
        _ = host.Server;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await RowCountAsync(database, old.KeyId) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, await RowCountAsync(database, old.KeyId));
        Assert.Equal(1, await RowCountAsync(database, lately.KeyId));
        Assert.Equal(1, await RowCountAsync(database, current.KeyId));
        Assert.Equal(2, await database.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys"));
    }

    /// <summary>The framework's key manager over <paramref name="database"/>'s ring, as a host has it, to make keys of any dates.</summary>
    private static IKeyManager KeyManagerOf(TestDatabase database)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddDataProtection().SetApplicationName(KeyRingExtensions.ApplicationName);
        services.Configure<KeyManagementOptions>(options =>
        {
            options.XmlRepository = new PostgresKeyRingRepository(database.DataSource);
            options.XmlEncryptor = new SealedKeyXmlEncryptor(new KeyRingSeal(Convert.FromBase64String(PlatformFixture.JwtKey)));
        });
        return services.BuildServiceProvider().GetRequiredService<IKeyManager>();
    }

    // The key's row and its revocation's (the framework names them key-{id} and revocation-{id}).
    private static Task<long> RowCountAsync(TestDatabase database, Guid keyId) =>
        database.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys WHERE friendly_name IN ($1, $2)", $"key-{keyId:D}", $"revocation-{keyId:D}");

    /// <summary>Another API host with the platform's settings (on <paramref name="database"/> when given), as a second host behind a load balancer or a host restarted.</summary>
    private WebApplicationFactory<ApiAssemblyMarker> AnotherHost(TestDatabase? database = null, Action<IWebHostBuilder>? configure = null) =>
        platform.Api.WithWebHostBuilder(web =>
        {
            if (database is not null)
            {
                web.UseSetting("POSTGRES", database.ConnectionString);
            }

            configure?.Invoke(web);
        });

    // A browser whose cookies (the jar) travel from host to host, as behind a load balancer; redirects not followed.
    private static HttpClient Browser(WebApplicationFactory<ApiAssemblyMarker> host, CookieContainer jar) =>
        host.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(jar));

    private static string ConsoleCookie(CookieContainer jar) =>
        jar.GetCookies(new Uri("http://localhost/console"))["meiling_console"]?.Value ?? throw new InvalidOperationException("No console cookie.");

    // A data-protected payload: a 4-byte magic header, then the id of the key that protected it; the framework stores that key as "key-{id}".
    private static string KeyNameOf(string protectedCookie) =>
        $"key-{new Guid(WebEncoders.Base64UrlDecode(protectedCookie).AsSpan(4, 16)):D}";

    private static Task<long> StoredKeyCountAsync(TestDatabase database, string protectedCookie) =>
        database.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys WHERE friendly_name = $1", KeyNameOf(protectedCookie));
}
