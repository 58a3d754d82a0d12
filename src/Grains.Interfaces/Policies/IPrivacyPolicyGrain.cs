namespace MeiLing.Grains.Policies;

/// <summary>
/// The platform's privacy policy and its published versions (P6.1). One grain per policy document;
/// the platform has one, keyed <see cref="PlatformPolicyKey"/>.
/// </summary>
[Alias("meiling.privacy-policy")]
public interface IPrivacyPolicyGrain : IGrainWithStringKey
{
    public const string PlatformPolicyKey = "meiling";

    /// <summary>Publishes a new version; a version string is published once (409 after).</summary>
    [Alias("publish")]
    Task<PolicyVersion> Publish(PublishPolicyVersion command);

    /// <summary>The most recently published version, or null before the first.</summary>
    [Alias("current")]
    [ReadOnly]
    Task<PolicyVersion?> GetCurrent();

    /// <summary>Where <paramref name="version"/> stands against the published versions (null: none accepted).</summary>
    [Alias("standing")]
    [ReadOnly]
    Task<PolicyStanding> GetStanding(string? version);

    /// <summary>Every published version, oldest first.</summary>
    [Alias("versions")]
    [ReadOnly]
    Task<IReadOnlyList<PolicyVersion>> GetVersions();
}
