namespace MeiLing.Grains.DataRights;

/// <summary>Support's view over every request: the open ones, and the ones past their due date.</summary>
[Alias("meiling.data-rights-requests")]
public interface IDataRightsRequestsGrain : IGrainWithIntegerKey
{
    public const int MaxPageSize = 500;

    /// <summary>A page of the open requests, soonest due first; the cursor of the previous page's end gives the next.</summary>
    [Alias("open-page")]
    Task<DataRightsRequestPage> ListOpen(bool overdueOnly, string? cursor, int limit);

    /// <summary>The most of one user's requests one page holds: each is asked of its own grain.</summary>
    public const int MaxUserPageSize = 100;

    /// <summary>
    /// Up to <paramref name="take"/> + 1 of the user's requests after the first <paramref name="skip"/>, oldest or
    /// newest first: the one past <paramref name="take"/> tells the caller another page follows.
    /// </summary>
    [Alias("of-user-page")]
    Task<IReadOnlyList<DataRightsRequestView>> OfUser(string userId, int skip, int take, bool newestFirst);

    /// <summary>
    /// The previous release's list of every request of the user, now the oldest <see cref="MaxUserPageSize"/> only: served
    /// so that an API host of that release keeps listing while a rolling upgrade mixes the two (WireContractTests).
    /// </summary>
    [Alias("of-user")]
    Task<IReadOnlyList<DataRightsRequestView>> OfUserFirstPage(string userId);
}

/// <summary>A page of requests, with the cursor of the next page (null on the last).</summary>
[GenerateSerializer, Immutable, Alias("meiling.data-rights-request-page")]
public sealed record DataRightsRequestPage(
    [property: Id(0)] IReadOnlyList<DataRightsRequestView> Items,
    [property: Id(1)] string? NextCursor);
