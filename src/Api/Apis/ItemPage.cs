namespace MeiLing.Api.Apis;

/// <summary>Every list in the contract: a page of items and the cursor of the next page (null on the last).</summary>
public sealed record ItemPage<T>(IReadOnlyList<T> Items, string? NextCursor);

public static class ItemPage
{
    public static ItemPage<T> Last<T>(IReadOnlyList<T> items) => new(items, null);
}
