using MeiLing.Grains;
using MeiLing.Grains.Policies;

namespace MeiLing.Tests.Unit.Policies;

/// <summary>The policy's state, rewritten at every publication and read by every user's notices, stays bounded (P4.4, P6.1).</summary>
public sealed class PrivacyPolicyStateTests
{
    [Fact]
    public void P4_4_P6_1_a_policy_keeps_at_most_1000_versions_then_refuses_another_with_409()
    {
        var policy = new PrivacyPolicyState();
        var now = DateTimeOffset.UnixEpoch;
        for (var i = 0; i < IPrivacyPolicyGrain.MaxVersions; i++)
        {
            policy.Publish(new PublishPolicyVersion($"v{i}", "Clearer wording", ReducesRights: false), now);
        }

        var refused = Assert.Throws<DomainException>(() => policy.Publish(new PublishPolicyVersion("one-more", "Again", ReducesRights: false), now));

        Assert.Equal(DomainErrorKind.Conflict, refused.Kind);
        Assert.Equal("too-many-policy-versions", refused.Code);
        Assert.Equal(IPrivacyPolicyGrain.MaxVersions, policy.Versions.Count);
        Assert.Equal($"v{IPrivacyPolicyGrain.MaxVersions - 1}", policy.CurrentVersion()!.Version);
    }
}
