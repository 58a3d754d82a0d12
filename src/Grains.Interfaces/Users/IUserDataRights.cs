using MeiLing.Grains.Consents;
using MeiLing.Grains.DataRights;

namespace MeiLing.Grains.Users;

/// <summary>A user's data rights (P8.1): filing requests, and the parts of erasure and export that concern the user grain's own state. A role of the user grain (<see cref="IUserGrain"/>), keyed by user id.</summary>
[Alias("meiling.user.data-rights")]
public interface IUserDataRights : IGrainWithStringKey
{
    /// <summary>
    /// Files a data-rights request; 409 <c>duplicate-request</c> naming the open one when a request of the
    /// same type is still open.
    /// </summary>
    [Alias("file-request")]
    Task<DataRightsRequestView> FileRequest(FileDataRightsRequest request);

    /// <summary>
    /// The request of <paramref name="type"/> the user's record names as open, or null: a filing awaiting confirmation
    /// that is no longer named was set aside by the user's own filing of its type (P8.1). Reads one entry, so it may
    /// interleave; the request asking is often what the user grain's own turn waits on.
    /// </summary>
    [Alias("open-request-of")]
    [AlwaysInterleave]
    Task<string?> OpenRequestOf(DataRightsRequestType type);

    /// <summary>Called by a request when it ends, so another of its type may be filed.</summary>
    [Alias("request-closed")]
    Task RequestClosed(DataRightsRequestType type, string requestId);

    /// <summary>
    /// Erases what the user grain itself holds of one category (avatar, addresses, birth date, the ticket links),
    /// keeping the account; returns how many items went. The tables and other grains are the erasure
    /// orchestrator's (a new alias: before, this call also erased the location and activity tables).
    /// </summary>
    [Alias("erase-held-category")]
    Task<int> EraseCategory(ErasableCategory category);

    /// <summary>
    /// Counts one download of the user's export; 429 <c>quota-exceeded</c> past the hourly allowance. Each download
    /// gathers everything held about the user anew, so without a bound one session could replay that for free.
    /// </summary>
    [Alias("take-export-download")]
    Task TakeExportDownload();

    /// <summary>Every tagged personal field the user grain holds, as JSON, driven by the data-category tags.</summary>
    [Alias("export-personal-data")]
    [ReadOnly]
    Task<string> ExportPersonalData();

    /// <summary>
    /// The steps of account cancellation (P4.1) that belong to the user grain, each idempotent: closing
    /// the account (no more sessions or processing), then finally deleting the user's own state.
    /// </summary>
    [Alias("close-account")]
    Task<AccountInventory> CloseAccount();

    [Alias("delete-account")]
    Task<int> DeleteAccount();
}
