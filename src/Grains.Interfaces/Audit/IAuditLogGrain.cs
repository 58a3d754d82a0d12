namespace MeiLing.Grains.Audit;

/// <summary>
/// The platform's append-only audit log: each entry's hash covers the previous entry's hash, so a changed
/// or removed entry breaks the chain, and a head kept beside the log shows newest entries cut off. A stateless
/// worker: the chain's one order is kept by the database (a transaction lock per append), so no caller waits on
/// a single activation.
/// </summary>
[Alias("meiling.audit-log")]
public interface IAuditLogGrain : IGrainWithStringKey
{
    public const string PlatformKey = "platform";

    [Alias("append")]
    Task<AuditRecord> Append(AuditEntry entry);

    /// <summary>
    /// Appends <paramref name="entries"/> in their order, chained as single appends are, in one transaction: a listing
    /// that shows many users' data writes an entry for each (P1.7) without a round trip and a lock each.
    /// </summary>
    [Alias("append-each")]
    Task AppendEach(IReadOnlyList<AuditEntry> entries);

    /// <summary>The entries about one user, oldest first.</summary>
    [Alias("about")]
    Task<IReadOnlyList<AuditRecord>> About(string userId, int limit);

    /// <summary>
    /// The entries a data-rights request wrote about its user, oldest first: its receipt, confirmations, approvals,
    /// rejection, steps and close (the request's id as actor, or first in the detail). Chosen by the database, so that
    /// no number of other entries about the user (an agent's page views among them) pushes them out of reach.
    /// </summary>
    [Alias("about-request")]
    Task<IReadOnlyList<AuditRecord>> AboutRequest(string userId, string requestId, int limit);

    /// <summary>
    /// The changes to one merchant's webhook endpoint (actions <c>webhook:…</c>, the merchant's id first in the detail),
    /// newest first: who set, re-pointed, rotated or removed it, and when (P3.1, P4.4). New in this release: a silo of
    /// the previous one does not know it.
    /// </summary>
    [Alias("webhook-changes")]
    Task<IReadOnlyList<AuditRecord>> WebhookChanges(string merchantId, int limit);

    /// <summary>The most entries one <see cref="AccessLog"/> call gives (the export's bound).</summary>
    public const int MaxAccessLogPage = 1_000;

    /// <summary>
    /// The user's access log (P1.7, P1.3): the entries about them, newest first, those before audit sequence
    /// <paramref name="before"/> when given, at most <paramref name="limit"/> (1 to <see cref="MaxAccessLogPage"/>), paged
    /// in the database. As the user may read them: no member of staff's id (a pseudonym), no raw detail, no id that is
    /// not known to be the user's own, and no legal demand the user may not be told of (P3.3). New in this release: a
    /// silo of the previous one does not know it.
    /// </summary>
    [Alias("access-log")]
    Task<AccessLogPage> AccessLog(string userId, long? before, int limit);

    /// <summary>
    /// The chain's walk as <see cref="IAuditChainWatchGrain.Check"/> answers it: kept for the previous release's callers. The
    /// walk runs in the watch, never on the workers that append (P8.1); always interleaved, so a worker waiting on it takes
    /// appends meanwhile.
    /// </summary>
    [Alias("verify")]
    [AlwaysInterleave]
    Task<AuditVerification> Verify();
}
