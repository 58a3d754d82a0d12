using MeiLing.Bench.Http;

namespace MeiLing.Bench.Scenarios;

/// <summary>POST /v1/users with a fresh phone each time: hashing, the phone index, and durable user state.</summary>
public sealed class RegisterScenario : HttpScenario
{
    private const string Password = "bench-password";

    public override string Name => "register";

    public override string Description => "POST /v1/users: a new user with a fresh phone (13 + 9 random digits)";

    public override Ceiling ComparedWith => Ceiling.Http | Ceiling.Write;

    protected override HttpRequestMessage NextRequest(WorkerContext worker) =>
        ApiRequests.Register(new RegisterUserBody(Phones.Next(worker.Random), Password, "bench"));
}
