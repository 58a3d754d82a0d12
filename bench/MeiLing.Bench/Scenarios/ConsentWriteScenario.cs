using MeiLing.Bench.Http;

namespace MeiLing.Bench.Scenarios;

/// <summary>
/// PUT /v1/users/{id}/consents/{purpose}: a consent receipt and the user's state, both durable.
/// Location is left alone (withdrawing it erases samples, another cost), so location-write stays valid.
/// </summary>
public sealed class ConsentWriteScenario : PoolUserScenario
{
    private static readonly string[] Purposes = ["album", "calendar", "personalization", "notifications"];

    private string _policyVersion = "";

    public override string Name => "consent-write";

    public override string Description => "PUT /v1/users/{id}/consents/{purpose}: grant or withdraw a non-location purpose";

    public override Ceiling ComparedWith => Ceiling.Http | Ceiling.Write;

    public override async Task SetupAsync(BenchContext context, CancellationToken cancellationToken)
    {
        await base.SetupAsync(context, cancellationToken);
        _policyVersion = await context.PolicyVersionAsync(cancellationToken);
        Note($"policy version {_policyVersion}; every write adds a receipt, so users' consent history grows");
    }

    protected override HttpRequestMessage NextRequest(WorkerContext worker, PoolUser user) =>
        ApiRequests.SetConsent(user.UserId, user.Token, Purposes[worker.Random.Next(Purposes.Length)],
            new ConsentBody(worker.Random.Next(2) == 0, _policyVersion));
}
