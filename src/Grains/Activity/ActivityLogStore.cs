using System.Runtime.CompilerServices;
using System.Text.Json;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy.Encryption;
using NpgsqlTypes;
using Npgsql;

namespace MeiLing.Grains.Activity;

/// <summary>The activity log table (P1.3): one sealed row per user and flush, written in bulk, with its lawful basis.</summary>
public sealed class ActivityLogStore(NpgsqlDataSource dataSource, UserDataKeys keys, TimeProvider clock)
{
    // P1.10: the log is kept to secure the service, which needs no consent.
    private const string Basis = "service-security";

    // Far beyond any entry's way from an API host to the table (its overflow is held a minute).
    private static readonly TimeSpan ErasureMarkKept = TimeSpan.FromDays(1);

    public async Task AppendAsync(IReadOnlyList<ActivityEntry> entries)
    {
        // A user's entries of one batch are sealed together, as one row, under the user's key (the batch's users'
        // keys looked up in one query); entries of a user whose key is gone (the account was cancelled while they
        // were on their way) are dropped. The row is dated by its latest request, which is what retention counts from.
        // P1.3, P4.1 (*reviewer*): entries recorded before a deletion of the user's activity, flushed after it, are dropped.
        var byUser = entries.GroupBy(entry => entry.UserId, StringComparer.Ordinal).ToList();
        string[] users = [.. byUser.Select(ofUser => ofUser.Key)];
        var sealers = await keys.SealersIfKeyedAsync(users);
        var erasedThrough = await ErasedThroughAsync(users);
        var rows = new List<(string UserId, DateTimeOffset At, byte[] Sealed)>();
        foreach (var ofUser in byUser)
        {
            ActivityEntry[] batch = erasedThrough.TryGetValue(ofUser.Key, out var erased) ? [.. ofUser.Where(entry => entry.At > erased)] : [.. ofUser];
            if (batch.Length > 0 && sealers.TryGetValue(ofUser.Key, out var seal))
            {
                rows.Add((ofUser.Key, batch.Max(entry => entry.LastAt), seal(JsonSerializer.SerializeToUtf8Bytes(batch))));
            }
        }

        if (rows.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY user_activity (user_id, at, sealed_entry, basis, holds_batch) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (userId, at, sealedBatch) in rows)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(userId, NpgsqlDbType.Text);
                await importer.WriteAsync(at, NpgsqlDbType.TimestampTz);
                await importer.WriteAsync(sealedBatch, NpgsqlDbType.Bytea);
                await importer.WriteAsync(Basis, NpgsqlDbType.Text);
                await importer.WriteAsync(true, NpgsqlDbType.Boolean);
            }

            await importer.CompleteAsync();
        }

        // P1.3, P4.1 (*reviewer*): a deletion that wrote its mark after this flush read the marks, and deleted before these
        // rows were committed, kept them. Such a deletion's mark was committed before its DELETE began, and these rows were
        // not committed before that DELETE began (it would have erased them), so this statement, begun after they were,
        // sees the mark: the batch's rows wholly at or before it go. A row is dated by its newest entry, so one dated at or
        // before the mark holds only entries recorded before the deletion. With no mark for the batch's users, the common
        // case, it finds none in activity_erasures' key and touches no row of user_activity.
        await using var sweep = new NpgsqlCommand("""
            DELETE FROM user_activity a USING activity_erasures e
             WHERE e.user_id = ANY($1) AND a.user_id = e.user_id AND a.at <= e.erased_through
            """, connection);
        sweep.Parameters.Add(new() { Value = rows.Select(row => row.UserId).ToArray() });
        await sweep.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// A user's latest entries, newest first. A row holds up to a flush's worth of entries (about a hundred), so rows are
    /// read a few at a time and only until the newest <paramref name="limit"/> are known, never <paramref name="limit"/>
    /// rows at once (P4.4): a thousand full rows, opened together for each of many calls, would fill the silo's memory.
    /// </summary>
    public async Task<IReadOnlyList<ActivityEntry>> ListAsync(string userId, int limit)
    {
        var newest = new List<ActivityEntry>();
        var rowsRead = 0;
        await foreach (var (at, sealedRow, holdsBatch) in SealedRowsAsync(userId, ListRowsPerRead))
        {
            // A row is dated by its newest entry: once the newest `limit` are all as new as this row, no row from here on
            // holds a newer one. Each row holds at least one entry, so `limit` rows always suffice.
            if (rowsRead++ == limit || (newest.Count == limit && newest[^1].LastAt >= at))
            {
                break;
            }

            newest.AddRange(await OpenAsync(userId, sealedRow, holdsBatch));
            newest = [.. newest.OrderByDescending(entry => entry.LastAt).Take(limit)];
        }

        return newest;
    }

    /// <summary>
    /// A page of the user's entries: at most <paramref name="limit"/>, from <paramref name="from"/> (the newest when null), by
    /// the log's rows newest first (P1.3, P8.1: a user's log holds far more entries than one answer). Rows are read a few at a
    /// time and opened only until the page is full (P4.4): a page holds itself and the entries of one instant's rows, never
    /// more. Rows are dated by their newest entry, so an entry on one page can be older than one on the next, as in the
    /// export; each page is newest first. The rows of one instant are taken together, in one order from call to call, so a
    /// page that ends inside them says how many it showed and the next goes on from there. With <c>visible</c>, only the
    /// entries it keeps are paged (an instant with none of them is passed over, and a cursor counts only those), so every page
    /// of one reader is cut from the same entries.
    /// </summary>
    public async Task<ActivityPage> PageAsync(string userId, ActivityPageStart? from, int limit, Func<ActivityEntry, bool>? visible = null)
    {
        var shown = new List<ActivityEntry>();
        await foreach (var (at, rows) in InstantsAsync(userId, from?.RowsAt))
        {
            if (shown.Count == limit)
            {
                return NewestFirst(shown, new ActivityPageStart(at, 0));
            }

            var entries = await EntriesOfInstantAsync(userId, rows);
            if (visible is not null)
            {
                entries = entries.FindAll(entry => visible(entry));
            }

            // A cursor whose instant is gone (its rows expired or erased) starts at the next one, from its first entry.
            var shownBefore = from is not null && at == from.RowsAt ? from.EntriesShown : 0;
            var taken = entries.Skip(shownBefore).Take(limit - shown.Count).ToList();
            shown.AddRange(taken);
            if (shownBefore + taken.Count < entries.Count)
            {
                return NewestFirst(shown, new ActivityPageStart(at, shownBefore + taken.Count));
            }
        }

        return NewestFirst(shown, null);
    }

    private static ActivityPage NewestFirst(List<ActivityEntry> shown, ActivityPageStart? next) =>
        new([.. shown.OrderByDescending(entry => entry.LastAt)], next);

    // The user's rows, newest first (those dated at or before atOrBefore when given), gathered by the instant they are dated.
    private async IAsyncEnumerable<(DateTimeOffset At, List<(byte[] Sealed, bool HoldsBatch)> Rows)> InstantsAsync(string userId, DateTimeOffset? atOrBefore)
    {
        var rows = new List<(byte[] Sealed, bool HoldsBatch)>();
        DateTimeOffset? at = null;
        await foreach (var row in SealedRowsAsync(userId, ListRowsPerRead, atOrBefore))
        {
            if (row.At != at && at is { } finished)
            {
                yield return (finished, rows);
                rows = [];
            }

            at = row.At;
            rows.Add((row.Sealed, row.HoldsBatch));
        }

        if (at is { } last)
        {
            yield return (last, rows);
        }
    }

    // The entries of one instant's rows, newest first: rows the database hands back in any order are taken in the order of
    // their sealed bytes, each row's entries in its own order, so a count of entries shown points to the same place each time.
    private async Task<List<ActivityEntry>> EntriesOfInstantAsync(string userId, List<(byte[] Sealed, bool HoldsBatch)> rows)
    {
        var entries = new List<ActivityEntry>();
        foreach (var (sealedRow, holdsBatch) in rows.OrderBy(row => row.Sealed, SealedBytesOrder))
        {
            entries.AddRange(await OpenAsync(userId, sealedRow, holdsBatch));
        }

        return [.. entries.OrderByDescending(entry => entry.LastAt)];
    }

    private static readonly Comparer<byte[]> SealedBytesOrder = Comparer<byte[]>.Create((one, other) => one.AsSpan().SequenceCompareTo(other));

    // Rows a list reads at a time: a few flushes' worth.
    private const int ListRowsPerRead = 4;

    private IAsyncEnumerable<(DateTimeOffset At, byte[] Sealed, bool HoldsBatch)> SealedRowsAsync(
        string userId, int rowsPerRead, DateTimeOffset? atOrBefore = null, CancellationToken cancellationToken = default) =>
        NewestFirstPages.ReadAsync(bound =>
        {
            // A page's first read starts at its cursor's instant, which may have entries still to show; the reads after it go on from their own.
            var (condition, parameters) = bound.At is null && atOrBefore is { } start
                ? (" AND at <= $3", new object[] { userId, bound.Limit, start })
                : (bound.Condition("at"), bound.Parameters(userId));
            return dataSource.ReadRowsAsync(
                $"SELECT at, sealed_entry, holds_batch FROM user_activity WHERE user_id = $1{condition} ORDER BY at DESC LIMIT $2",
                reader => (reader.GetFieldValue<DateTimeOffset>(0), (At: reader.GetFieldValue<DateTimeOffset>(0), Sealed: reader.GetFieldValue<byte[]>(1), HoldsBatch: reader.GetBoolean(2))),
                parameters);
        }, rowsPerRead, cancellationToken);

    // A row's entries, newest first; none when the user's key no longer opens it.
    private async Task<IEnumerable<ActivityEntry>> OpenAsync(string userId, byte[] sealedRow, bool holdsBatch)
    {
        if (await keys.OpenAsync(userId, sealedRow) is not { } opened)
        {
            return [];
        }

        // Written before entries counted their requests, a row of one entry stands for one request.
        return holdsBatch
            ? JsonSerializer.Deserialize<ActivityEntry[]>(opened)!.OrderByDescending(entry => entry.LastAt)
            : [JsonSerializer.Deserialize<ActivityEntry>(opened)! with { Requests = 1 }];
    }

    /// <summary>
    /// Every entry of the user, read <paramref name="rowsPerRead"/> rows at a time, newest row first and each row's
    /// entries newest first (the access bundle, which holds them all but never at once: P4.4). Rows are dated by
    /// their newest entry, so an entry of one flush can be older than one of the next row read.
    /// </summary>
    public async IAsyncEnumerable<ActivityEntry> ReadAllAsync(string userId, int rowsPerRead, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var (_, sealedRow, holdsBatch) in SealedRowsAsync(userId, rowsPerRead, cancellationToken: cancellationToken))
        {
            foreach (var entry in await OpenAsync(userId, sealedRow, holdsBatch))
            {
                yield return entry;
            }
        }
    }

    /// <summary>
    /// Erases the user's activity, and marks it erased up to now first: entries recorded before, still on their way from an
    /// API host, are dropped as they arrive (<see cref="AppendAsync"/>).
    /// </summary>
    public async Task<int> EraseAsync(string userId)
    {
        await using (var mark = dataSource.CreateCommand("""
            INSERT INTO activity_erasures (user_id, erased_through) VALUES ($1, $2)
                ON CONFLICT (user_id) DO UPDATE SET erased_through = greatest(activity_erasures.erased_through, excluded.erased_through)
            """))
        {
            mark.Parameters.Add(new() { Value = userId });
            mark.Parameters.Add(new() { Value = clock.GetUtcNow(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await mark.ExecuteNonQueryAsync();
        }

        await using var command = dataSource.CreateCommand("DELETE FROM user_activity WHERE user_id = $1");
        command.Parameters.Add(new() { Value = userId });
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Entries older than <paramref name="cutoff"/>, and erasure marks older than a day, go.</summary>
    public async Task<int> ExpireAsync(DateTimeOffset cutoff)
    {
        await using (var marks = dataSource.CreateCommand("DELETE FROM activity_erasures WHERE erased_through < $1"))
        {
            marks.Parameters.Add(new() { Value = clock.GetUtcNow() - ErasureMarkKept, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await marks.ExecuteNonQueryAsync();
        }

        await using var command = dataSource.CreateCommand("DELETE FROM user_activity WHERE at < $1");
        command.Parameters.Add(new() { Value = cutoff, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync();
    }

    private async Task<Dictionary<string, DateTimeOffset>> ErasedThroughAsync(string[] userIds)
    {
        await using var command = dataSource.CreateCommand("SELECT user_id, erased_through FROM activity_erasures WHERE user_id = ANY($1)");
        command.Parameters.Add(new() { Value = userIds });
        await using var reader = await command.ExecuteReaderAsync();
        var erased = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            erased[reader.GetString(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return erased;
    }

}
