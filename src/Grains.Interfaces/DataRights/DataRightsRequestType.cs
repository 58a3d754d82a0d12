namespace MeiLing.Grains.DataRights;

/// <summary>The data rights a user can exercise (introduction, P4.1, P8.1).</summary>
[GenerateSerializer, Alias("meiling.data-rights-request-type")]
public enum DataRightsRequestType
{
    Access = 0,
    Correction = 1,
    Deletion = 2,
    Withdrawal = 3,
    Cancellation = 4,
}

/// <summary>
/// Where a request stands: (awaiting-confirmation →) received → in-progress → completed; rejected or
/// cancelled before its first step.
/// </summary>
[GenerateSerializer, Alias("meiling.data-rights-request-status")]
public enum DataRightsRequestStatus
{
    Received = 0,
    InProgress = 1,
    Completed = 2,
    Rejected = 3,

    /// <summary>Filed by support, destructive: nothing happens until the user confirms or a second agent approves.</summary>
    AwaitingConfirmation = 4,

    Cancelled = 5,
}

/// <summary>What each status means for the request's course.</summary>
public static class DataRightsRequestStatuses
{
    /// <summary>Open: still to be answered, counted against the 15 days, and blocking a second request of its type.</summary>
    public static bool IsOpen(this DataRightsRequestStatus status) =>
        status is DataRightsRequestStatus.AwaitingConfirmation or DataRightsRequestStatus.Received or DataRightsRequestStatus.InProgress;
}
