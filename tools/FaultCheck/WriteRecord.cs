namespace MeiLing.FaultCheck;

/// <summary>What kind of write a record is.</summary>
public enum WriteKind
{
    Merchant,
    User,
}

/// <summary>How the API answered a write.</summary>
public enum WriteOutcome
{
    /// <summary>201 with an id: the platform promised the write is kept.</summary>
    Acknowledged,

    /// <summary>503 problem+json: refused, retry later. Allowed only inside the fault window.</summary>
    Unavailable,

    /// <summary>Anything else (500, 4xx, no answer, a 503 that is not problem+json): never allowed.</summary>
    Other,
}

/// <summary>
/// One write and its answer. Times are from the start of the run. <see cref="Id"/> is the new
/// entity's id when acknowledged; <see cref="Name"/> is what was written, to compare on read-back.
/// </summary>
public sealed record WriteRecord(
    WriteKind Kind,
    TimeSpan Started,
    TimeSpan Ended,
    WriteOutcome Outcome,
    string Name,
    string? Id,
    string? Detail);
