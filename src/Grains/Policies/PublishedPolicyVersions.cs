using System.Collections.Concurrent;

namespace MeiLing.Grains.Policies;

/// <summary>
/// The place of each published policy version in the list of versions, as this silo has learnt it. Versions are only
/// ever appended, so a version's place never changes once it is published: a consent change naming a known version
/// needs no call to the one platform-wide policy grain. A version not (yet) known here is always asked of the grain,
/// so one published a moment ago is found, and a made-up one is refused there and never remembered.
/// </summary>
public sealed class PublishedPolicyVersions
{
    private readonly ConcurrentDictionary<string, int> _places = new(StringComparer.Ordinal);

    public async Task<int?> PlaceOfAsync(string version, IPrivacyPolicyGrain policy)
    {
        if (_places.TryGetValue(version, out var known))
        {
            return known;
        }

        var standing = await policy.GetStanding(version);
        if (standing.VersionIndex is { } place)
        {
            _places.TryAdd(version, place);
        }

        return standing.VersionIndex;
    }
}
