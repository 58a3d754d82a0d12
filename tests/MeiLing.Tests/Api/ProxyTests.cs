using System.Text;
using MeiLing.Api;
using MeiLing.Grains.Activity;
using MeiLing.Tests.Users;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MeiLing.Tests.Api;

/// <summary>
/// P4.4 behind a proxy: the client's address and scheme come from X-Forwarded-* only when the TCP peer is
/// a trusted proxy. Each test runs its own API host; requests are sent with a chosen peer address.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ProxyTests(PlatformFixture platform)
{
    private const string Proxy = "10.20.0.5";
    private const string Stranger = "198.51.100.9";

    [Fact]
    public async Task P4_4_a_trusted_proxys_forwarded_client_address_is_the_rate_limit_partition()
    {
        await using var api = Host(trustedProxies: "10.20.0.0/16", anonymousPerSecond: 3);

        var first = await Burst(api, Proxy, forwardedFor: "203.0.113.7", count: 10);
        var second = await Send(api, Proxy, "/v1/policies", forwardedFor: "203.0.113.8");

        Assert.Contains(StatusCodes.Status429TooManyRequests, first);
        Assert.Equal(StatusCodes.Status200OK, second.Response.StatusCode);
    }

    [Fact]
    public async Task P4_4_an_untrusted_callers_forwarded_for_is_ignored_and_cannot_escape_its_limit()
    {
        await using var api = Host(trustedProxies: Proxy, anonymousPerSecond: 3);

        var statuses = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            statuses.Add((await Send(api, Stranger, "/v1/policies", forwardedFor: $"203.0.113.{i + 1}")).Response.StatusCode);
        }

        Assert.Contains(StatusCodes.Status429TooManyRequests, statuses);
    }

    // P4.4: each IPv6 /64 has an allowance of codes of its own, and a sender handed a /48 holds 65,536 of them: rotating
    // through, it had the platform text any numbers it liked at 65,536 times one subscriber's rate (SMS pumping).
    [Fact]
    public async Task P4_4_codes_asked_for_from_the_64s_of_one_48_share_the_48s_allowance()
    {
        await using var api = platform.Api.WithWebHostBuilder(web =>
        {
            web.UseSetting("RATE_LIMIT_CODES_PER_MINUTE", "3");
            web.UseSetting("RATE_LIMIT_CODES_PER_MINUTE_PER_NETWORK", "5");
        });

        var (statuses, refused, anotherNetwork) = await RotateThroughOne48Async(peer => SendCodeAsync(api, peer), network: 1);

        Assert.Equal(Enumerable.Repeat(StatusCodes.Status202Accepted, 5), statuses.Take(5));
        Assert.Equal(StatusCodes.Status429TooManyRequests, statuses[5]);
        Assert.Equal(StatusCodes.Status429TooManyRequests, refused.Response.StatusCode);
        Assert.False(string.IsNullOrEmpty(refused.Response.Headers.RetryAfter.ToString()));
        Assert.Equal(StatusCodes.Status202Accepted, anotherNetwork.Response.StatusCode);
    }

    // P4.4: the day's allowance of texts is the /48's, all its /64s together: counted per /64 it was 65,536 days of texts.
    [Fact]
    public async Task P4_4_codes_asked_for_from_the_64s_of_one_48_share_the_48s_day()
    {
        await using var api = platform.Api.WithWebHostBuilder(web => web.UseSetting("RATE_LIMIT_CODES_PER_DAY", "5"));

        var (statuses, refused, anotherNetwork) = await RotateThroughOne48Async(peer => SendCodeAsync(api, peer), network: 9);

        Assert.Equal(Enumerable.Repeat(StatusCodes.Status202Accepted, 5), statuses.Take(5));
        Assert.Equal(StatusCodes.Status429TooManyRequests, statuses[5]);
        Assert.Equal("3600", refused.Response.Headers.RetryAfter.ToString());
        Assert.Equal(StatusCodes.Status202Accepted, anotherNetwork.Response.StatusCode);
    }

    // P4.4: sign-ins were counted per /64 alone, so a sender holding a /48 sprayed passwords across many numbers with
    // 65,536 allowances, each attempt a slow password hash on the API's cores.
    [Fact]
    public async Task P4_4_sign_ins_from_the_64s_of_one_48_share_the_48s_allowance()
    {
        await using var api = CredentialsLimited(perAddress: 3, perNetwork: 5);

        var (statuses, refused, anotherNetwork) = await RotateThroughOne48Async(peer => SignInAsync(api, peer), network: 3);

        Assert.DoesNotContain(StatusCodes.Status429TooManyRequests, statuses.Take(5));
        Assert.Equal(StatusCodes.Status429TooManyRequests, statuses[5]);
        Assert.Equal(StatusCodes.Status429TooManyRequests, refused.Response.StatusCode);
        Assert.False(string.IsNullOrEmpty(refused.Response.Headers.RetryAfter.ToString()));
        Assert.NotEqual(StatusCodes.Status429TooManyRequests, anotherNetwork.Response.StatusCode);
    }

    // P4.4 (*reviewer*): wrong credentials were counted per /64 alone, so a sender holding a /48 had 65,536 allowances of
    // made-up keys a minute, each looked up (a grain activation and a database read).
    [Fact]
    public async Task P4_4_wrong_credentials_from_the_64s_of_one_48_share_the_48s_allowance()
    {
        await using var api = platform.Api.WithWebHostBuilder(web =>
        {
            web.UseSetting("RATE_LIMIT_FAILED_AUTH_PER_MINUTE", "3");
            web.UseSetting("RATE_LIMIT_FAILED_AUTH_PER_MINUTE_PER_NETWORK", "5");
        });

        var (statuses, refused, anotherNetwork) = await RotateThroughOne48Async(
            peer => Send(api, peer, "/v1/policies", bearer: "a-token-the-platform-never-signed"), network: 11);

        Assert.DoesNotContain(StatusCodes.Status429TooManyRequests, statuses.Take(5));
        Assert.Equal(StatusCodes.Status429TooManyRequests, statuses[5]);
        Assert.Equal(StatusCodes.Status429TooManyRequests, refused.Response.StatusCode);
        Assert.False(string.IsNullOrEmpty(refused.Response.Headers.RetryAfter.ToString()));
        Assert.NotEqual(StatusCodes.Status429TooManyRequests, anotherNetwork.Response.StatusCode);
    }

    // One /64 spending its own allowance takes nothing from the rest of its /48.
    [Fact]
    public async Task P4_4_one_64_refused_its_own_sign_ins_leaves_its_48s_allowance_to_the_others()
    {
        await using var api = CredentialsLimited(perAddress: 2, perNetwork: 4);

        var noisy = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            noisy.Add((await SignInAsync(api, "2001:db8:5:1::1")).Response.StatusCode);
        }

        var neighbour = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            neighbour.Add((await SignInAsync(api, "2001:db8:5:2::1")).Response.StatusCode);
        }

        Assert.Equal(4, noisy.Count(status => status == StatusCodes.Status429TooManyRequests));
        Assert.DoesNotContain(StatusCodes.Status429TooManyRequests, neighbour);
    }

    // One request from each of six /64s of the /48 2001:db8:{network}::/48, a seventh from another of its /64s, and one
    // from the next /48.
    private static async Task<(List<int> Statuses, HttpContext Refused, HttpContext AnotherNetwork)> RotateThroughOne48Async(
        Func<string, Task<HttpContext>> send, int network)
    {
        var statuses = new List<int>();
        for (var subnet = 1; subnet <= 6; subnet++)
        {
            statuses.Add((await send($"2001:db8:{network:x}:{subnet:x}::1")).Response.StatusCode);
        }

        return (statuses, await send($"2001:db8:{network:x}:7::1"), await send($"2001:db8:{network + 1:x}:1::1"));
    }

    private WebApplicationFactory<ApiAssemblyMarker> CredentialsLimited(int perAddress, int perNetwork) =>
        platform.Api.WithWebHostBuilder(web =>
        {
            web.UseSetting("RATE_LIMIT_CREDENTIALS_PER_MINUTE", perAddress.ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("RATE_LIMIT_CREDENTIALS_PER_MINUTE_PER_NETWORK", perNetwork.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });

    // A wrong password for a number nobody holds: the attempt is what the allowance counts, whatever its answer.
    private static Task<HttpContext> SignInAsync(WebApplicationFactory<ApiAssemblyMarker> api, string peer) =>
        Send(api, peer, "/v1/sessions", body: System.Text.Json.JsonSerializer.Serialize(new { phone = UserApiClient.NewPhone(), password = "not-the-password-1" }));

    private static Task<HttpContext> SendCodeAsync(WebApplicationFactory<ApiAssemblyMarker> api, string peer) =>
        Send(api, peer, "/v1/verification-codes", body: System.Text.Json.JsonSerializer.Serialize(new { phone = UserApiClient.NewPhone(), purpose = "register" }));

    [Fact]
    public async Task P4_4_https_from_a_trusted_proxy_gets_hsts_and_a_secure_cookie_but_a_strangers_claim_does_not()
    {
        var user = await platform.RegisterUserAsync();
        await using var api = Host(trustedProxies: Proxy);
        var signIn = System.Text.Json.JsonSerializer.Serialize(new { phone = user.Phone, password = user.Password });

        var viaProxy = await Send(api, Proxy, "/v1/sessions", forwardedProto: "https", body: signIn);
        var stranger = await Send(api, Stranger, "/v1/sessions", forwardedProto: "https", body: signIn);

        Assert.Equal(StatusCodes.Status200OK, viaProxy.Response.StatusCode);
        Assert.Contains("max-age", viaProxy.Response.Headers.StrictTransportSecurity.ToString(), StringComparison.Ordinal);
        Assert.Contains("secure", viaProxy.Response.Headers.SetCookie.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(StatusCodes.Status200OK, stranger.Response.StatusCode);
        Assert.Empty(stranger.Response.Headers.StrictTransportSecurity.ToString());
        Assert.DoesNotContain("secure", stranger.Response.Headers.SetCookie.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task P1_3_the_activity_log_records_the_address_a_trusted_proxy_forwarded_and_never_a_strangers_claim()
    {
        var viaProxy = await platform.RegisterUserAsync();
        var direct = await platform.RegisterUserAsync();
        var proxyToken = (await platform.SignInAsync(viaProxy)).Token;
        var directToken = (await platform.SignInAsync(direct)).Token;
        await using var api = Host(trustedProxies: Proxy);

        await Send(api, Proxy, $"/v1/users/{viaProxy.UserId}", forwardedFor: "203.0.113.50", bearer: proxyToken);
        await Send(api, Stranger, $"/v1/users/{direct.UserId}", forwardedFor: "203.0.113.51", bearer: directToken);

        Assert.Equal("203.0.113.50", (await OnlyActivityAsync(viaProxy.UserId)).IpAddress);
        Assert.Equal(Stranger, (await OnlyActivityAsync(direct.UserId)).IpAddress);
    }

    private WebApplicationFactory<ApiAssemblyMarker> Host(string trustedProxies, int anonymousPerSecond = 1000) =>
        platform.Api.WithWebHostBuilder(web =>
        {
            web.UseSetting("TRUSTED_PROXIES", trustedProxies);
            web.UseSetting("RATE_LIMIT_ANONYMOUS_PER_SECOND", anonymousPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });

    private static async Task<List<int>> Burst(WebApplicationFactory<ApiAssemblyMarker> api, string peer, string forwardedFor, int count)
    {
        var statuses = new List<int>();
        for (var i = 0; i < count; i++)
        {
            statuses.Add((await Send(api, peer, "/v1/policies", forwardedFor: forwardedFor)).Response.StatusCode);
        }

        return statuses;
    }

    // The test server takes the peer address from the context we build, as Kestrel would from the socket.
    private static Task<HttpContext> Send(
        WebApplicationFactory<ApiAssemblyMarker> api, string peer, string path,
        string? forwardedFor = null, string? forwardedProto = null, string? body = null, string? bearer = null) =>
        api.Server.SendAsync(context =>
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
            context.Request.Method = body is null ? "GET" : "POST";
            context.Request.Path = path;
            if (forwardedFor is not null)
            {
                context.Request.Headers["X-Forwarded-For"] = forwardedFor;
            }

            if (forwardedProto is not null)
            {
                context.Request.Headers["X-Forwarded-Proto"] = forwardedProto;
            }

            if (bearer is not null)
            {
                context.Request.Headers.Authorization = "Bearer " + bearer;
            }

            if (body is not null)
            {
                var bytes = Encoding.UTF8.GetBytes(body);
                context.Request.ContentType = "application/json";
                context.Request.ContentLength = bytes.Length;
                context.Request.Body = new MemoryStream(bytes);
                context.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>(new HasBody());
            }
        });

    private sealed class HasBody : Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }

    private async Task<ActivityEntry> OnlyActivityAsync(string userId)
    {
        var log = platform.Grains.GetGrain<IActivityLogGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var entries = await log.GetUserActivity(userId, 10);
        while (entries.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            entries = await log.GetUserActivity(userId, 10);
        }

        return Assert.Single(entries);
    }
}
