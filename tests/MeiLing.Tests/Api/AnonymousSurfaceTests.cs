using MeiLing.Api.Routing;
using MeiLing.Tests.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace MeiLing.Tests.Api;

/// <summary>P4.4: a route is closed unless it says it is open; operators' own surfaces are theirs alone.</summary>
[Collection(PlatformCollection.Name)]
public sealed class AnonymousSurfaceTests(PlatformFixture platform)
{
    [Fact]
    public void P4_4_only_the_routes_marked_anonymous_are_open_and_every_other_route_needs_a_caller()
    {
        var open = platform.Api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(endpoint => $"{string.Join(',', endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])} {RouteIds.Plain(endpoint.RoutePattern).TrimEnd('/')}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(
            [
                // The consoles' sign-in, sign-out and registration pages (their POSTs need the antiforgery token), and their stylesheet.
                "* /console/signin", "* /console/signout",
                "* /health/live", "* /health/ready",
                "* /privacy/register", "* /privacy/signin", "* /privacy/signout",
                "GET /openapi/{documentName}.json", "GET /ui/site.css", "GET /v1/ping", "GET /v1/policies", "GET /v1/policies/current",
                // Open, but each answer is bounded elsewhere: per-address limits, and a partner's signature.
                "POST /v1/password-resets", "POST /v1/payment-partners/{partner}/confirmations", "POST /v1/payment-partners/{partner}/recipient-confirmations",
                // A cancelled user's follow-up: its code is the key (P8.1).
                "POST /v1/requests/{requestId}/follow-up", "POST /v1/sessions", "POST /v1/users", "POST /v1/users/{userId}/guardian-withdrawal", "POST /v1/verification-codes",
            ],
            open);
    }

    [Fact]
    public async Task P4_4_a_route_that_names_no_policy_is_closed_to_anonymous_callers()
    {
        // No endpoint matches: only the fallback policy stands between the caller and whatever answers.
        var response = await platform.Client().GetAsync("/v1/no-such-thing");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task P4_4_request_metrics_are_for_operators_only()
    {
        var merchant = await platform.CreateMerchantAsync("Curious");
        var user = await platform.AsUserAsync(await platform.RegisterUserAsync());

        await (await platform.Client().GetAsync("/health/metrics")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await platform.Client(merchant.ApiKey).GetAsync("/health/metrics")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await user.GetAsync("/health/metrics")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await platform.Operator().GetAsync("/health/metrics")).StatusCode);
    }
}
