namespace MeiLing.Grains.Activity;

/// <summary>
/// A page of a user's activity entries, newest first; <see cref="Next"/> is where the next page starts, null on the last page.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.activity-page")]
public sealed record ActivityPage(
    [property: Id(0)] IReadOnlyList<ActivityEntry> Items,
    [property: Id(1)] ActivityPageStart? Next);

/// <summary>
/// Where a page of a user's activity starts: at the log's rows dated <see cref="RowsAt"/> or before, past the first
/// <see cref="EntriesShown"/> entries of those dated exactly then. A row holds a flush's worth of entries (up to about a
/// hundred), so a page that ends inside one says how far into it the earlier pages went.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.activity-page-start")]
public sealed record ActivityPageStart(
    [property: Id(0)] DateTimeOffset RowsAt,
    [property: Id(1)] int EntriesShown);
