using MeiLing.Grains.Policies;

namespace MeiLing.Tests.Unit.Policies;

/// <summary>
/// A published version's place is learnt once per silo (versions are only appended); a version never published is
/// asked of the policy grain every time, so it is refused there and a later publication of it is found.
/// </summary>
public sealed class PublishedPolicyVersionsTests
{
    [Fact]
    public async Task P6_1_a_published_version_is_asked_of_the_policy_grain_once()
    {
        var policy = new CountingPolicy(["2026-01", "2026-06"]);
        var versions = new PublishedPolicyVersions();

        Assert.Equal(1, await versions.PlaceOfAsync("2026-06", policy));
        Assert.Equal(1, await versions.PlaceOfAsync("2026-06", policy));
        Assert.Equal(0, await versions.PlaceOfAsync("2026-01", policy));

        Assert.Equal(2, policy.Asked);
    }

    [Fact]
    public async Task P6_1_a_version_never_published_is_asked_every_time_and_found_once_it_is_published()
    {
        var policy = new CountingPolicy(["2026-01"]);
        var versions = new PublishedPolicyVersions();

        Assert.Null(await versions.PlaceOfAsync("2026-12", policy));
        Assert.Null(await versions.PlaceOfAsync("2026-12", policy));
        policy.Published.Add("2026-12");

        Assert.Equal(1, await versions.PlaceOfAsync("2026-12", policy));
        Assert.Equal(3, policy.Asked);
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

        public Task<IReadOnlyList<PolicyVersion>> GetVersions() => throw new NotSupportedException();
    }
}
