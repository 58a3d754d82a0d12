using MeiLing.Bench.Http;

namespace MeiLing.Bench.Scenarios;

/// <summary>POST /v1/users/{id}/locations after granting location: the consent gate and a stored sample.</summary>
public sealed class LocationWriteScenario : PoolUserScenario
{
    private const int SetupParallelism = 8;

    public override string Name => "location-write";

    public override string Description => "POST /v1/users/{id}/locations: a GPS sample (location granted in setup)";

    public override Ceiling ComparedWith => Ceiling.Http | Ceiling.Write;

    public override async Task SetupAsync(BenchContext context, CancellationToken cancellationToken)
    {
        await base.SetupAsync(context, cancellationToken);
        var policyVersion = await context.PolicyVersionAsync(cancellationToken);
        var grant = new ConsentBody(Granted: true, policyVersion);
        await Parallel.ForEachAsync(PoolUsers,
            new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = cancellationToken },
            async (user, ct) => await context.Api.SetConsentAsync(user.UserId, user.Token, "location", grant, ct));
        Note($"location granted to every pool user under policy version {policyVersion}");
    }

    protected override HttpRequestMessage NextRequest(WorkerContext worker, PoolUser user)
    {
        // Somewhere in mainland China, with a plausible GPS accuracy.
        var random = worker.Random;
        return ApiRequests.RecordLocation(user.UserId, user.Token, new LocationBody(
            Latitude: 18 + (random.NextDouble() * 35),
            Longitude: 73 + (random.NextDouble() * 62),
            AccuracyMeters: 5 + (random.NextDouble() * 45),
            Source: "gps"));
    }
}
