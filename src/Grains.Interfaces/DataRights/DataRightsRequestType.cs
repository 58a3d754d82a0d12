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

/// <summary>Where a request stands: received → in-progress → completed or rejected.</summary>
[GenerateSerializer, Alias("meiling.data-rights-request-status")]
public enum DataRightsRequestStatus
{
    Received = 0,
    InProgress = 1,
    Completed = 2,
    Rejected = 3,
}
