namespace MeiLing.Grains.Policies;

/// <summary>
/// The platform's privacy policy and its published versions (P6.1). One grain per policy document;
/// the platform has one, keyed <see cref="PlatformPolicyKey"/>.
/// </summary>
[Alias("meiling.privacy-policy")]
public interface IPrivacyPolicyGrain : IGrainWithStringKey
{
    public const string PlatformPolicyKey = "meiling";

    /// <summary>Versions one policy keeps: publication past it is refused, so its state, its list and every user's notices stay bounded.</summary>
    public const int MaxVersions = 1000;

    /// <summary>The most versions one page of the list holds.</summary>
    public const int MaxPageSize = 100;

    /// <summary>Publishes a new version; a version string is published once (409 after), and at most <see cref="MaxVersions"/> (409 after).</summary>
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

    /// <summary>One published version, or null when <paramref name="version"/> was never published.</summary>
    [Alias("version")]
    [ReadOnly]
    Task<PolicyVersion?> GetVersion(string version);

    /// <summary>Every published version, oldest first.</summary>
    [Alias("versions")]
    [ReadOnly]
    Task<IReadOnlyList<PolicyVersion>> GetVersions();

    /// <summary>
    /// The published versions, oldest first, after the first <paramref name="skip"/>: at most <paramref name="take"/>
    /// (1-<see cref="MaxPageSize"/>) and one more when more follow, so the caller knows whether to give a next cursor.
    /// </summary>
    [Alias("versions-page")]
    [ReadOnly]
    Task<IReadOnlyList<PolicyVersion>> GetVersionsPage(int skip, int take);
}
