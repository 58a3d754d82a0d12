namespace MeiLing.Grains.Consents;

/// <summary>
/// Why a processing of personal data is lawful (P1.10): the user's consent, or one of the policy's
/// named cases that need none.
/// </summary>
[GenerateSerializer, Alias("meiling.lawful-basis")]
public enum LawfulBasis
{
    Consent = 0,
    NationalSecurity = 1,
    PublicSafety = 2,
    CriminalInvestigation = 3,
    VitalInterests = 4,
    SelfPublished = 5,
    LawfulPublicSource = 6,
    ContractNecessity = 7,
    ServiceSecurity = 8,
    NewsReporting = 9,
    DeidentifiedResearch = 10,
    LegalObligation = 11,

    /// <summary>A merger, acquisition or sale hands a business to a successor bound by the same policy (P3.2).</summary>
    BusinessTransfer = 12,
}
