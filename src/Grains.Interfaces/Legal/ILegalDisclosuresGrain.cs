namespace MeiLing.Grains.Legal;

/// <summary>Legal demands for users' data (P3.3): recorded through the user's disclosure gate with their document reference.</summary>
[Alias("meiling.legal-disclosures")]
public interface ILegalDisclosuresGrain : IGrainWithIntegerKey
{
    /// <summary>A document of no named kind: its demand waits for a second operator, as a withheld one does.</summary>
    public const string OtherDocument = "other";

    public static readonly IReadOnlyList<string> DocumentTypes = ["subpoena", "investigation-letter", "court-order", OtherDocument];

    /// <summary>
    /// What a legal demand may name as handed over: the kinds of data the platform holds of a user, as its hand-overs and the
    /// access export name them. Nothing else: a field is kept in the legal record past the user's erasure, so a name or a
    /// number written there would outlive it.
    /// </summary>
    public static readonly IReadOnlySet<string> FieldNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "phone", "nickname", "avatar", "birthDate", "region", "password",
        "addresses", "address", "doorNumber", "recipientName", "gender", "delivery",
        "orders", "orderId", "lines", "totalFen", "payments", "amountFen", "merchantId", "memberCards", "memberCard",
        "locations", "activity", "ipAddresses", "userAgents", "searchTerms", "sessions",
        "consents", "tickets", "notifications", "requests", "disclosures", "accessLog", "transfers",
    };

    /// <summary>The longest authority's name: the disclosure ledger keeps it as the recipient, in 128 characters.</summary>
    public const int MaxAuthorityLength = 128;

    /// <summary>The longest a demand is withheld from its user at a time: a second operator may renew it, a period at a time.</summary>
    public const int MaxWithheldDays = 365;

    /// <summary>
    /// Hands the fields over to the authority, recorded in the user's ledger; the user is told unless the demand says otherwise.
    /// A demand withheld from its user, or backed by no named kind of document (<c>other</c>), is recorded awaiting a second
    /// operator's approval (<see cref="Approve"/>) and hands nothing over until then.
    /// </summary>
    [Alias("record")]
    Task<LegalDisclosure> Record(string userId, LegalDemand demand);

    /// <summary>
    /// A second operator approves a demand awaiting approval (never its recorder: 403 <c>own-demand</c>), and its fields are
    /// handed over; a retry finishes what an interrupted approval began.
    /// </summary>
    [Alias("approve")]
    Task<LegalDisclosure> Approve(string disclosureId, string approvedBy, string reason);

    /// <summary>
    /// Keeps a withheld demand from its user until <paramref name="until"/> (at most <see cref="MaxWithheldDays"/> ahead): by
    /// an operator other than the one who set the period running (403 <c>own-withholding</c>), and only before the
    /// period ends (409 <c>withholding-lapsed</c>).
    /// </summary>
    [Alias("renew-withholding")]
    Task<LegalDisclosure> RenewWithholding(string disclosureId, string renewedBy, DateTimeOffset until, string reason);

    /// <summary>Tells each user whose demand's withholding has lapsed, and shows it to them from then on; returns how many.</summary>
    [Alias("release-lapsed")]
    Task<int> ReleaseLapsed();

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
