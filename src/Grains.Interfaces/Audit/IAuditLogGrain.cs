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

    [Alias("verify")]
    Task<AuditVerification> Verify();
}
