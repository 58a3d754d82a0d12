namespace MeiLing.Grains.Audit;

/// <summary>Something a member of staff or a data-rights request did, for the append-only audit log.</summary>
[GenerateSerializer, Immutable, Alias("meiling.audit-entry")]
public sealed record AuditEntry(
    [property: Id(0)] string ActorRole,
    [property: Id(1)] string ActorId,
    [property: Id(2)] string Action,
    [property: Id(3)] string? SubjectUserId,
    [property: Id(4)] string? Detail);

/// <summary>A written audit entry: its place in the chain and its hash.</summary>
[GenerateSerializer, Immutable, Alias("meiling.audit-record")]
public sealed record AuditRecord(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] AuditEntry Entry,
    [property: Id(3)] string Hash);

/// <summary>The result of walking the chain: the first entry whose hash does not follow, if any.</summary>
[GenerateSerializer, Immutable, Alias("meiling.audit-verification")]
public sealed record AuditVerification(
    [property: Id(0)] long EntriesChecked,
    [property: Id(1)] bool Intact,
    [property: Id(2)] long? FirstBrokenSequence);

/// <summary>One walk of the audit log's chain (<see cref="IAuditChainWatchGrain"/>): when it ended, and what it found.</summary>
[GenerateSerializer, Immutable, Alias("meiling.audit-chain-check")]
public sealed record AuditChainCheck(
    [property: Id(0)] DateTimeOffset CheckedAt,
    [property: Id(1)] long EntriesChecked,
    [property: Id(2)] bool Intact,
    [property: Id(3)] long? FirstBrokenSequence);
