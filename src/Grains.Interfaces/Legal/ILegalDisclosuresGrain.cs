namespace MeiLing.Grains.Legal;

/// <summary>Legal demands for users' data (P3.3): recorded through the user's disclosure gate with their document reference.</summary>
[Alias("meiling.legal-disclosures")]
public interface ILegalDisclosuresGrain : IGrainWithIntegerKey
{
    public static readonly IReadOnlyList<string> DocumentTypes = ["subpoena", "investigation-letter", "court-order", "other"];

    /// <summary>The longest authority's name: the disclosure ledger keeps it as the recipient, in 128 characters.</summary>
    public const int MaxAuthorityLength = 128;

    /// <summary>Hands the fields over to the authority, recorded in the user's ledger; the user is told unless the demand says otherwise.</summary>
    [Alias("record")]
    Task<LegalDisclosure> Record(string userId, LegalDemand demand);

    /// <summary>Legal disclosures the user was not told about, oldest first, for operators' review.</summary>
    [Alias("withheld")]
    Task<IReadOnlyList<LegalDisclosure>> Withheld(int limit);

    /// <summary>
    /// Those the user was not told about, oldest first, a page of at most <paramref name="limit"/> (1-500) after
    /// <paramref name="cursor"/> (null: from the oldest), with the next page's cursor: every one is reached for review,
    /// however many there are (the first page alone is what <see cref="Withheld"/> gives).
    /// </summary>
    [Alias("withheld-page")]
    Task<LegalDisclosurePage> WithheldPage(string? cursor, int limit);
}
