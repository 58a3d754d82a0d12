using MeiLing.Api.Routing;
using Microsoft.AspNetCore.Routing;

namespace MeiLing.Tests.Api;

/// <summary>Ids in paths are route constraints: a malformed one reaches no handler, grain or audit log.</summary>
[Collection(PlatformCollection.Name)]
public sealed class RouteIdTests(PlatformFixture platform)
{
    [Fact]
    public void Every_id_in_a_route_is_constrained_to_the_shape_the_platform_issues()
    {
        var unconstrained = platform.Api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(endpoint => endpoint.RoutePattern.Parameters
                .Where(parameter => parameter.Name.EndsWith("Id", StringComparison.Ordinal))
                .Where(parameter => !RouteIds.Prefixes.ContainsKey(parameter.Name)
                    || !parameter.ParameterPolicies.Any(policy => policy.Content == RouteIds.ConstraintName))
                .Select(parameter => $"{RouteIds.Plain(endpoint.RoutePattern)}: {{{parameter.Name}}}"))
            .ToList();

        Assert.Empty(unconstrained);
    }

    [Theory]
    [InlineData("/v1/merchants/mer_x")]
    [InlineData("/v1/merchants/usr_00000000000000000000000000")]
    [InlineData("/v1/orders/%20")]
    public async Task A_malformed_id_is_404_problem_json_for_a_caller(string path)
    {
        var response = await platform.Operator().GetAsync(path);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
