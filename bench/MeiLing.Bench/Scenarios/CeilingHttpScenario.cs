using MeiLing.Bench.Http;

namespace MeiLing.Bench.Scenarios;

/// <summary>GET /v1/ping: a constant JSON answer from the API host, no cluster, no database. The HTTP ceiling.</summary>
public sealed class CeilingHttpScenario : HttpScenario
{
    public override string Name => "ceiling-http";

    public override string Description => "GET /v1/ping: constant JSON from the API host (the HTTP ceiling)";

    public override Ceiling Provides => Ceiling.Http;

    public override Ceiling ComparedWith => Ceiling.None;

    protected override HttpRequestMessage NextRequest(WorkerContext worker) => ApiRequests.Ping();
}
