using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;

namespace MeiLing.Grains.Users;

/// <summary>The one gate every processing and hand-over of a user's data passes (P1.10, P3.1), and the ledger of what it let through. A role of the user grain (<see cref="IUserGrain"/>), keyed by user id.</summary>
[Alias("meiling.user.consent-gate")]
public interface IUserConsentGate : IGrainWithStringKey
{
    /// <summary>
    /// The one gate: may this processing of the user's data happen now? Returns its lawful basis
    /// (P1.10); 403 <c>consent-required</c> or <c>policy-consent-required</c> otherwise, and 400
    /// <c>region-mismatch</c> when the request names a region that is not the user's (P4.2).
    /// </summary>
    [Alias("authorize-processing")]
    Task<ProcessingBasis> AuthorizeProcessing(ProcessingRequest request);

    /// <summary>
    /// The disclosure gate (P3.1): checks the hand-over's basis now, refuses it without one (and always
    /// for advertising and analytics partners, who get only de-identified aggregates), and records it.
    /// </summary>
    [Alias("disclose")]
    Task<DisclosureRecord> Disclose(DisclosureRequest request);

    /// <summary>
    /// The disclosure gate's answer without the record (P3.1, P5.1): refuses, as <see cref="Disclose"/> would, a hand-over
    /// that may not happen now, and records nothing. For a step retried after its hand-over is in the ledger: what moves on a
    /// later attempt is handed over then, and a withdrawal or a closing since refuses it.
    /// </summary>
    [Alias("check-disclosure")]
    Task CheckDisclosure(DisclosureRequest request);

    /// <summary>The newest 1,000 hand-overs of the user's data, newest first (what API hosts of the previous version ask).</summary>
    [Alias("disclosures")]
    Task<IReadOnlyList<DisclosureRecord>> GetDisclosures();

    /// <summary>
    /// A page of the hand-overs of the user's data, newest first: at most <paramref name="limit"/> (1 to 1,000), those
    /// before <paramref name="before"/> when given. Every hand-over is on some page: the list never stops at a count.
    /// </summary>
    [Alias("disclosures-page")]
    Task<DisclosurePage> GetDisclosurePage(DateTimeOffset? before, int limit);
}
