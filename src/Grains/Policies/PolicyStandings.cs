using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Policies;

/// <summary>
/// Where each policy version stands, as this silo has learnt it from the one platform-wide policy grain: its place in
/// the list (a consent change names a version), whether it still satisfies the newest rights-reducing version (every
/// processing gate asks) and the current version (registration accepts it). A publication changes the standings, so
/// it has them all forgotten on every silo (<see cref="SiloFacts"/>). A version never published is asked of the grain
/// every time and never kept: it is refused there, is found once published, and made-up versions cannot fill the copies.
/// </summary>
public sealed class PolicyStandings(TimeProvider clock)
{
    // A user who never accepted a version has none: its standing is kept under a key no version can have.
    private const string NoVersion = "";

    private readonly FactCache<PolicyStanding> _standings = new(clock, SiloFacts.Lifetime, capacity: 1_000);

    public async ValueTask<PolicyStanding> OfAsync(string? version, IPrivacyPolicyGrain policy)
    {
        PolicyStanding? asked = null;
        var kept = await _standings.GetOrLoadAsync(version ?? NoVersion, async () =>
        {
            asked = await policy.GetStanding(version);
            return version is not null && asked.VersionIndex is null ? null : asked;
        });
        return kept ?? asked!;
    }

    public void ForgetAll() => _standings.ForgetAll();
}
