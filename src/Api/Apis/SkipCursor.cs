using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>
/// The cursor of a list that belongs to one user and stays short enough to page by position: how many items
/// the earlier pages held. Nothing in it names an id or how big the platform is.
/// </summary>
public static class SkipCursor
{
    // Far past any list paged by position (a merchant's 10,000 staff, a user's tickets), and far enough from int's end that
    // a position and a page's size never add up past it: a cursor of 2147483647 wrapped to a negative next cursor.
    private const int MaxSkip = 1_000_000_000;

    /// <summary>Reads the cursor (0 when there is none); false when it is not one this API gave.</summary>
    public static bool TryRead(string? cursor, out int skip)
    {
        skip = 0;
        return cursor is null
            || (int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out skip) && skip is >= 0 and <= MaxSkip);
    }

    public static ValidationProblem Invalid() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cursor"] = ["Use the nextCursor of the previous page."] });

    /// <summary>The cursor after a page of <paramref name="take"/> that began at <paramref name="skip"/>, or null when nothing follows.</summary>
    public static string? Next(int skip, int take, bool more) =>
        more ? (skip + take).ToString(CultureInfo.InvariantCulture) : null;
}
