namespace MeiLing.Api.Apis;

/// <summary>Every list in the contract: a page of items and the cursor of the next page (null on the last).</summary>
public sealed record ItemPage<T>(IReadOnlyList<T> Items, string? NextCursor);

public static class ItemPage
{
    public static ItemPage<T> Last<T>(IReadOnlyList<T> items) => new(items, null);

    /// <summary>
    /// A page of <paramref name="pageSize"/> from <paramref name="rows"/> read one beyond it: when that one came, more
    /// follow, and the page's last item's id is the next page's cursor.
    /// </summary>
    public static ItemPage<T> OfOneMoreThan<T>(IReadOnlyList<T> rows, int pageSize, Func<T, string> cursorOf) =>
        rows.Count > pageSize ? new([.. rows.Take(pageSize)], cursorOf(rows[pageSize - 1])) : Last(rows);
}
