namespace MeiLing.Grains.DataRights;

/// <summary>Support's view over every request: the open ones, and the ones past their due date.</summary>
[Alias("meiling.data-rights-requests")]
public interface IDataRightsRequestsGrain : IGrainWithIntegerKey
{
    [Alias("open")]
    Task<IReadOnlyList<DataRightsRequestView>> ListOpen(bool overdueOnly, int limit);

    [Alias("of-user")]
    Task<IReadOnlyList<DataRightsRequestView>> OfUser(string userId);
}
