using MeiLing.Grains.Policies;

namespace MeiLing.Tests.Unit.Policies;

/// <summary>
/// A published version's standing is learnt once per silo until a publication has it forgotten; a version never
/// published is asked of the policy grain every time, so it is refused there and a later publication of it is found.
/// </summary>
public sealed class PolicyStandingsTests
{
    [Fact]
    public async Task P6_1_a_published_version_is_asked_of_the_policy_grain_once()
    {
        var policy = new CountingPolicy(["2026-01", "2026-06"]);
        var standings = new PolicyStandings(TimeProvider.System);

        Assert.Equal(1, (await standings.OfAsync("2026-06", policy)).VersionIndex);
        Assert.Equal(1, (await standings.OfAsync("2026-06", policy)).VersionIndex);
        Assert.Equal(0, (await standings.OfAsync("2026-01", policy)).VersionIndex);

        Assert.Equal(2, policy.Asked);
    }

    [Fact]
    public async Task P6_1_a_version_never_published_is_asked_every_time_and_found_once_it_is_published()
    {
        var policy = new CountingPolicy(["2026-01"]);
        var standings = new PolicyStandings(TimeProvider.System);

        Assert.Null((await standings.OfAsync("2026-12", policy)).VersionIndex);
        Assert.Null((await standings.OfAsync("2026-12", policy)).VersionIndex);
        policy.Published.Add("2026-12");

        Assert.Equal(1, (await standings.OfAsync("2026-12", policy)).VersionIndex);
        Assert.Equal(3, policy.Asked);
    }

    [Fact]
    public async Task P6_1_a_publication_makes_every_standing_asked_again()
    {
        var policy = new CountingPolicy(["2026-01"]);
        var standings = new PolicyStandings(TimeProvider.System);
        Assert.Equal("2026-01", (await standings.OfAsync(null, policy)).CurrentVersion);

        policy.Published.Add("2026-06");
        standings.ForgetAll();

        Assert.Equal("2026-06", (await standings.OfAsync(null, policy)).CurrentVersion);
    }

    private sealed class CountingPolicy(List<string> published) : IPrivacyPolicyGrain
    {
        public List<string> Published { get; } = published;

        public int Asked { get; private set; }

        public Task<PolicyStanding> GetStanding(string? version)
        {
            Asked++;
            var place = Published.IndexOf(version ?? "");
            return Task.FromResult(new PolicyStanding(place < 0 ? null : place, -1, Published[^1], Published.Count - 1));
        }

        public Task<PolicyVersion> Publish(PublishPolicyVersion command) => throw new NotSupportedException();

        public Task<PolicyVersion?> GetCurrent() => throw new NotSupportedException();

        public Task<PolicyVersion?> GetVersion(string version) => throw new NotSupportedException();

        public Task<IReadOnlyList<PolicyVersion>> GetVersions() => throw new NotSupportedException();

        public Task<IReadOnlyList<PolicyVersion>> GetVersionsPage(int skip, int take) => throw new NotSupportedException();
    }
}
