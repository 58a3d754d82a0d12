namespace MeiLing.Grains.Consents;

/// <summary>Purpose names as the contract spells them (<c>marketing-sharing</c>).</summary>
public static class ConsentPurposes
{
    public static string Name(ConsentPurpose purpose) => purpose switch
    {
        ConsentPurpose.MarketingSharing => "marketing-sharing",
        ConsentPurpose.ThirdPartySources => "third-party-sources",
        _ => purpose.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string? name, out ConsentPurpose purpose)
    {
        foreach (var candidate in Enum.GetValues<ConsentPurpose>())
        {
            if (string.Equals(Name(candidate), name, StringComparison.Ordinal))
            {
                purpose = candidate;
                return true;
            }
        }

        purpose = default;
        return false;
    }
}
