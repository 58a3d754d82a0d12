namespace MeiLing.Grains.Audit;

/// <summary>
/// The platform's append-only audit log: each entry's hash covers the previous entry's hash, so a changed
/// or removed entry breaks the chain, and a head kept beside the log shows newest entries cut off. One
/// writer, so the chain has one order.
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

    [Alias("verify")]
    Task<AuditVerification> Verify();
}
