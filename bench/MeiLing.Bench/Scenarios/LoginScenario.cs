using MeiLing.Bench.Http;

namespace MeiLing.Bench.Scenarios;

/// <summary>POST /v1/sessions for pool users: password verification and token issue.</summary>
public sealed class LoginScenario : PoolUserScenario
{
    public override string Name => "login";

    public override string Description => "POST /v1/sessions: sign in a pool user (password check, token issue)";

    protected override HttpRequestMessage NextRequest(WorkerContext worker, PoolUser user) =>
        ApiRequests.SignIn(user.Phone, user.Password);
}
