using System.Collections.Frozen;

namespace MeiLing.Grains.Consents;

/// <summary>Purpose names as the contract spells them (<c>marketing-sharing</c>).</summary>
public static class ConsentPurposes
{
    /// <summary>Every purpose, in the order of their values: the consent view lists them all, a read at a time.</summary>
    public static readonly IReadOnlyList<ConsentPurpose> All = Enum.GetValues<ConsentPurpose>();

    // Named once: consent reads, writes, receipts and notices name purposes on every call.
    private static readonly FrozenDictionary<ConsentPurpose, string> Names =
        All.ToFrozenDictionary(purpose => purpose, Spell);

    private static readonly FrozenDictionary<string, ConsentPurpose> ByName =
        All.ToFrozenDictionary(Spell, purpose => purpose, StringComparer.Ordinal);

    public static string Name(ConsentPurpose purpose) => Names.TryGetValue(purpose, out var name) ? name : Spell(purpose);

    public static bool TryParse(string? name, out ConsentPurpose purpose) =>
        ByName.TryGetValue(name ?? "", out purpose);

    private static string Spell(ConsentPurpose purpose) => purpose switch
    {
        ConsentPurpose.MarketingSharing => "marketing-sharing",
        ConsentPurpose.ThirdPartySources => "third-party-sources",
        _ => purpose.ToString().ToLowerInvariant(),
    };
}
