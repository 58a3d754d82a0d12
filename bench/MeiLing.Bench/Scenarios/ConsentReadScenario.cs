using MeiLing.Bench.Http;

namespace MeiLing.Bench.Scenarios;

/// <summary>GET /v1/users/{id}/consents as the user: token validation and an activated grain's read.</summary>
public sealed class ConsentReadScenario : PoolUserScenario
{
    public override string Name => "consent-read";

    public override string Description => "GET /v1/users/{id}/consents with the user's bearer token";

    protected override HttpRequestMessage NextRequest(WorkerContext worker, PoolUser user) =>
        ApiRequests.GetConsents(user.UserId, user.Token);
}
