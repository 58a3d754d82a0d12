using System.Runtime.CompilerServices;
using System.Text.Json;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy.Encryption;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.Users;

/// <summary>
/// Location samples (P1.2) live in their own table rather than in the user's grain state: they are
/// many, they expire one by one, and withdrawal erases them in one statement. Each row carries the
/// consent receipt it was collected under (P1.10).
/// </summary>
public sealed class LocationSampleStore(NpgsqlDataSource dataSource, UserDataKeys keys)
{
    // A.2: precise location is sensitive, so the sample itself is sealed under the user's key;
    // its time and consent receipt stay in clear for retention and the lawful-basis record.
    public async Task AddAsync(string userId, LocationSample sample, string receiptId)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO user_location_samples (user_id, at, sealed_sample, consent_receipt_id) VALUES ($1, $2, $3, $4)
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = sample.At, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = await keys.SealAsync(userId, JsonSerializer.SerializeToUtf8Bytes(sample)) });
        command.Parameters.Add(new() { Value = receiptId });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<LocationSample>> ListAsync(string userId, int limit) =>
        await OpenAsync(userId, await dataSource.ReadRowsAsync(NewestQuery(""), ReadRow, userId, limit));

    /// <summary>
    /// A page of the user's samples, newest first: at most <paramref name="limit"/> taken before <paramref name="before"/>
    /// (from the newest when null), as the disclosure ledger pages (P1.2, P8.1: a user holds up to 2,880 samples a day for
    /// 30 days, far more than one answer). A page ends on a whole instant, so the next page, the samples before the last
    /// instant shown, misses none that share it; an instant with more than a page's worth is shown whole. Only the
    /// page's rows are opened.
    /// </summary>
    public async Task<LocationPage> PageAsync(string userId, DateTimeOffset? before, int limit)
    {
        var rows = await dataSource.ReadRowsAsync(
            NewestQuery(before is null ? "" : " AND at < $3"), ReadRow, before is { } at ? [userId, limit + 1, at] : [userId, limit + 1]);
        if (rows.Count <= limit)
        {
            return new LocationPage(await OpenAsync(userId, rows), null);
        }

        var spilling = rows[limit].At;
        IReadOnlyList<(DateTimeOffset At, byte[] Sealed)> whole = [.. rows.Take(limit).TakeWhile(row => row.At != spilling)];
        if (whole.Count == 0)
        {
            whole = await dataSource.ReadRowsAsync(NewestQuery(" AND at = $3"), ReadRow, userId, int.MaxValue, spilling);
            if (whole.Count == 0)
            {
                // *reviewer*: the instant's rows were gone by this second read (the retention sweep, a deletion of the
                // user's locations), and the page held nothing else: what is left is the page from before that instant.
                return await PageAsync(userId, spilling, limit);
            }
        }

        return new LocationPage(await OpenAsync(userId, whole), whole[^1].At);
    }

    // The user's samples ($1), newest first, at most $2.
    private static string NewestQuery(string condition) =>
        $"SELECT at, sealed_sample FROM user_location_samples WHERE user_id = $1{condition} ORDER BY at DESC LIMIT $2";

    private static (DateTimeOffset At, byte[] Sealed) ReadRow(NpgsqlDataReader reader) =>
        (reader.GetFieldValue<DateTimeOffset>(0), reader.GetFieldValue<byte[]>(1));

    // Opened once the rows are read, not while the reader holds the connection; a sample whose seal no longer opens is left out.
    private async Task<IReadOnlyList<LocationSample>> OpenAsync(string userId, IReadOnlyList<(DateTimeOffset At, byte[] Sealed)> rows)
    {
        var samples = new List<LocationSample>(rows.Count);
        foreach (var (_, sealedSample) in rows)
        {
            if (await keys.OpenAsync(userId, sealedSample) is { } opened)
            {
                samples.Add(JsonSerializer.Deserialize<LocationSample>(opened)!);
            }
        }

        return samples;
    }

    /// <summary>
    /// Every sample of the user, newest first, read <paramref name="rowsPerRead"/> at a time (the access bundle, which
    /// holds them all but never at once: P4.4); a sample whose seal no longer opens is left out, as in <see cref="ListAsync"/>.
    /// </summary>
    public async IAsyncEnumerable<LocationSample> ReadAllAsync(string userId, int rowsPerRead, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var rows = NewestFirstPages.ReadAsync(bound => dataSource.ReadRowsAsync(
            $"SELECT at, sealed_sample FROM user_location_samples WHERE user_id = $1{bound.Condition("at")} ORDER BY at DESC LIMIT $2",
            reader => (reader.GetFieldValue<DateTimeOffset>(0), reader.GetFieldValue<byte[]>(1)),
            bound.Parameters(userId)), rowsPerRead, cancellationToken);
        await foreach (var sealedSample in rows)
        {
            if (await keys.OpenAsync(userId, sealedSample) is { } opened)
            {
                yield return JsonSerializer.Deserialize<LocationSample>(opened)!;
            }
        }
    }

    /// <summary>Erases every sample of the user; returns how many there were.</summary>
    public async Task<int> EraseAsync(string userId)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM user_location_samples WHERE user_id = $1");
        command.Parameters.Add(new() { Value = userId });
        return await command.ExecuteNonQueryAsync();
    }

    // Spelled into the queries, not passed: the partial index of migration 0083 serves only a query whose own text says so.
    private static readonly string LocationPurpose = ConsentPurposes.Name(ConsentPurpose.Location);

    /// <summary>
    /// Withdrawals of location given since <paramref name="since"/>, in the order of (time, sequence), at most
    /// <paramref name="limit"/> after <paramref name="after"/> (from the first when null). P1.2: the retention sweep erases
    /// what each still left behind (<see cref="EraseWithdrawnAsync"/>); older ones left nothing its age has not erased.
    /// </summary>
    public async Task<IReadOnlyList<Withdrawal>> WithdrawalsAsync(DateTimeOffset since, Withdrawal? after, int limit)
    {
        var (fromAt, fromSequence) = after is { } last && last.At >= since ? (last.At, last.Sequence) : (since, 0L);
        return await dataSource.ReadRowsAsync(
            $"""
            SELECT r.sequence, r.user_id, r.given_at FROM consent_receipts r
            WHERE r.purpose = '{LocationPurpose}' AND NOT r.granted AND (r.given_at, r.sequence) > ($1, $2)
              AND EXISTS (SELECT 1 FROM user_location_samples s WHERE s.user_id = r.user_id AND s.at <= r.given_at)
            ORDER BY r.given_at, r.sequence LIMIT $3
            """,
            reader => new Withdrawal(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)),
            fromAt, fromSequence, limit);
    }

    /// <summary>
    /// P1.2: erases what each withdrawal owes erased: its user's samples taken at or before it. The withdrawal keeps its
    /// receipt first, then erases; an erasure that failed there is finished here, whether or not the withdrawal is ever sent
    /// again. A sample collected under a grant given after the withdrawal is kept, whatever its time says (stamped by the
    /// clock of another silo running behind). Returns how many were erased.
    /// </summary>
    public async Task<int> EraseWithdrawnAsync(IReadOnlyList<Withdrawal> withdrawals)
    {
        if (withdrawals.Count == 0)
        {
            return 0;
        }

        await using var command = dataSource.CreateCommand("""
            DELETE FROM user_location_samples s
            USING unnest($1::varchar[], $2::timestamptz[], $3::bigint[]) AS w (user_id, at, sequence)
            WHERE s.user_id = w.user_id AND s.at <= w.at
              AND NOT EXISTS (SELECT 1 FROM consent_receipts later WHERE later.receipt_id = s.consent_receipt_id AND later.sequence > w.sequence)
            """);
        command.Parameters.Add(new() { Value = withdrawals.Select(withdrawal => withdrawal.UserId).ToArray() });
        command.Parameters.Add(new() { Value = withdrawals.Select(withdrawal => withdrawal.At).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = withdrawals.Select(withdrawal => withdrawal.Sequence).ToArray() });
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>A withdrawal of location (its receipt's sequence, its user, when it was given): what the sweep pages by.</summary>
    public readonly record struct Withdrawal(long Sequence, string UserId, DateTimeOffset At);

    /// <summary>Erases samples taken before <paramref name="cutoff"/>, for everyone.</summary>
    public async Task<int> ExpireAsync(DateTimeOffset cutoff)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM user_location_samples WHERE at < $1");
        command.Parameters.Add(new() { Value = cutoff, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync();
    }
}
