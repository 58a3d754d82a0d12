namespace MeiLing.Grains.Audit;

/// <summary>How the audit log's chain is walked (P1.7, P8.1).</summary>
public sealed class AuditSettings
{
    /// <summary>The most entries <see cref="VerifyPageSize"/> may be set to: a page stays a short query.</summary>
    public const int MaxVerifyPageSize = 10_000;

    /// <summary>
    /// Entries one read of the chain's walk takes (1 to <see cref="MaxVerifyPageSize"/>): the walk reads the log a page at a
    /// time, in sequence order, carrying the running hash, so no query and no grain turn holds the whole log, however long
    /// it grows.
    /// </summary>
    public int VerifyPageSize { get; set; } = 1_000;

    /// <summary>Whether <see cref="VerifyPageSize"/> is one the walk can go by (checked when the silo starts).</summary>
    public bool IsValid => VerifyPageSize is >= 1 and <= MaxVerifyPageSize;
}
