namespace MeiLing.Grains.Policies;

/// <summary>Persisted state of the privacy policy: every published version, oldest first.</summary>
public sealed class PrivacyPolicyState
{
    public List<PublishedVersion> Versions { get; set; } = [];

    public PublishedVersion? CurrentVersion() => Versions.Count == 0 ? null : Versions[^1];

    public bool HasVersion(string version) => Versions.Exists(v => v.Version == version);

    public PolicyStanding StandingOf(string? version)
    {
        var index = version is null ? -1 : Versions.FindIndex(v => v.Version == version);
        return new PolicyStanding(
            index < 0 ? null : index,
            Versions.FindLastIndex(v => v.ReducesRights),
            CurrentVersion()?.Version,
            Versions.Count - 1);
    }

    public PublishedVersion Publish(PublishPolicyVersion command, DateTimeOffset now)
    {
        if (Versions.Count >= IPrivacyPolicyGrain.MaxVersions)
        {
            // P4.4: every publication rewrites this state, and a user who has not accepted the newest reads every version
            // after theirs among their notices; an operator key in a loop must not grow either without end.
            throw DomainException.Conflict("too-many-policy-versions", $"A policy keeps at most {IPrivacyPolicyGrain.MaxVersions} versions.");
        }

        var published = new PublishedVersion
        {
            Version = command.Version,
            Summary = command.Summary,
            ReducesRights = command.ReducesRights,
            PublishedAt = now,
        };
        Versions.Add(published);
        return published;
    }

    public sealed class PublishedVersion
    {
        public string Version { get; set; } = "";

        public string Summary { get; set; } = "";

        public bool ReducesRights { get; set; }

        public DateTimeOffset PublishedAt { get; set; }

        public PolicyVersion ToView() => new(Version, Summary, ReducesRights, PublishedAt);
    }
}
