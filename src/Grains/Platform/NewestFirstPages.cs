using System.Runtime.CompilerServices;

namespace MeiLing.Grains.Platform;

/// <summary>
/// Reads a user's rows of a table that has no key but their time (location samples, the activity log, the
/// disclosure ledger) newest first, a page at a time, so a reader of all of them never holds more than a page
/// (P4.4). A page ends where the time changes, so rows that share an instant are never split between two pages; a
/// page whose rows all share one instant is read again with every row of that instant.
/// </summary>
public static class NewestFirstPages
{
    /// <summary>
    /// Which rows one read takes: at most <see cref="Limit"/> (parameter <c>$2</c>), newest first, and those
    /// <see cref="Condition"/> names (<c>$3</c>, <see cref="At"/>): none on the first page.
    /// </summary>
    public readonly record struct Bound(string Comparison, DateTimeOffset? At, int Limit)
    {
        /// <summary>The condition on <paramref name="column"/> to add to the query's <c>WHERE</c>, after an <c>AND</c>.</summary>
        public string Condition(string column) => At is null ? "" : $" AND {column} {Comparison} $3";

        /// <summary>The query's parameters after the user's id (<c>$1</c>).</summary>
        public object[] Parameters(string userId) => At is { } at ? [userId, Limit, at] : [userId, Limit];
    }

    public static async IAsyncEnumerable<T> ReadAsync<T>(
        Func<Bound, Task<IReadOnlyList<(DateTimeOffset At, T Row)>>> read, int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        DateTimeOffset? before = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await read(new Bound("<", before, pageSize));
            if (page.Count < pageSize)
            {
                foreach (var (_, row) in page)
                {
                    yield return row;
                }

                yield break;
            }

            // The last instant of a full page may have more rows after it: the next read starts with them.
            var lastAt = page[^1].At;
            IReadOnlyList<(DateTimeOffset At, T Row)> whole = [.. page.TakeWhile(row => row.At != lastAt)];
            if (whole.Count == 0)
            {
                whole = await read(new Bound("=", lastAt, int.MaxValue));
            }

            foreach (var (_, row) in whole)
            {
                yield return row;
            }

            before = whole[^1].At;
        }
    }
}
