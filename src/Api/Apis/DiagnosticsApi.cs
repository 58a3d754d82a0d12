namespace MeiLing.Api.Apis;

/// <summary>
/// A constant answer from this host with no cluster or database behind it: the HTTP ceiling the
/// benchmarks compare every other route against.
/// </summary>
public static class DiagnosticsApi
{
    private static readonly Pong Answer = new("pong", "meiling-api");

    public static IEndpointRouteBuilder MapDiagnosticsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/ping", () => TypedResults.Ok(Answer)).AllowAnonymous()
            .WithTags("Operations").WithName("Ping").WithSummary("A constant JSON answer from the API host (no cluster, no database).");
        return routes;
    }

    public sealed record Pong(string Status, string Service);
}
