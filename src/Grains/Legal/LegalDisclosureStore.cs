using MeiLing.Grains.Platform;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.Legal;

/// <summary>Every legal demand answered (P3.3), kept for operators' review of those the user could not be told about.</summary>
public sealed class LegalDisclosureStore(NpgsqlDataSource dataSource)
{
    // Who recorded each and when its hand-over finished close the list: a reviewer of a withheld demand reads both (P3.3, P1.7).
    private const string Columns =
        "disclosure_id, user_id, authority, document_type, document_reference, fields, user_notified, at, recorded_by, completed_at, " +
        "approval_needed, approved_by, withheld_until, released_at, withholding_set_by";

    /// <summary>
    /// Records the demand before anything is handed over; a demand recorded before (a retry) is kept as it was.
    /// Returns the record as stored and whether its hand-over already finished.
    /// </summary>
    public async Task<(LegalDisclosure Disclosure, bool Completed)> BeginAsync(LegalDisclosure disclosure, string recordedBy)
    {
        var rows = await dataSource.ReadRowsAsync(
            $"""
            WITH added AS (
                INSERT INTO legal_disclosures (disclosure_id, user_id, authority, document_type, document_reference, fields, user_notified, recorded_by, at,
                                               approval_needed, withheld_until, withholding_set_by)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, CASE WHEN $11::timestamptz IS NULL THEN NULL ELSE $8 END)
                ON CONFLICT (disclosure_id) DO NOTHING
                RETURNING {Columns})
            SELECT * FROM added
            UNION ALL
            SELECT {Columns} FROM legal_disclosures WHERE disclosure_id = $1 AND NOT EXISTS (SELECT 1 FROM added)
            """,
            reader => (Read(reader), !reader.IsDBNull(9)),
            disclosure.DisclosureId, disclosure.UserId, disclosure.Authority, disclosure.DocumentType, disclosure.DocumentReference,
            disclosure.Fields.ToArray(), disclosure.UserNotified, recordedBy, disclosure.At, disclosure.ApprovalNeeded,
            (object?)disclosure.WithheldUntil ?? DBNull.Value);
        return rows[0];
    }

    /// <summary>The demand as stored; null when there is none.</summary>
    public async Task<LegalDisclosure?> FindAsync(string disclosureId) =>
        (await dataSource.ReadRowsAsync($"SELECT {Columns} FROM legal_disclosures WHERE disclosure_id = $1", Read, disclosureId)).SingleOrDefault();

    /// <summary>Records the second operator's approval (the first to approve stays); returns the demand as stored.</summary>
    public async Task<LegalDisclosure?> ApproveAsync(string disclosureId, string approvedBy, DateTimeOffset now) =>
        (await dataSource.ReadRowsAsync(
            $"""
            UPDATE legal_disclosures SET approved_by = coalesce(approved_by, $2), approved_at = coalesce(approved_at, $3)
             WHERE disclosure_id = $1 RETURNING {Columns}
            """,
            Read, disclosureId, approvedBy, now)).SingleOrDefault();

    /// <summary>
    /// Keeps a withheld demand from its user until <paramref name="until"/>, set running by <paramref name="renewedBy"/>, if
    /// its withholding still runs at <paramref name="now"/> (P1.7, P3.3: a lapsed one is not renewed); null otherwise.
    /// </summary>
    /// <remarks>
    /// Against the silos' now, not the database's: the sweep releases by the silos' clock (<see cref="LapsedAsync"/>), so a
    /// row that clock holds lapsed is lapsed here too, whatever the database's own clock reads. Its end reckoned as there.
    /// </remarks>
    public async Task<LegalDisclosure?> RenewWithholdingAsync(string disclosureId, string renewedBy, DateTimeOffset until, DateTimeOffset now) =>
        (await dataSource.ReadRowsAsync(
            $"""
            UPDATE legal_disclosures SET withheld_until = $3, withholding_set_by = $2
             WHERE disclosure_id = $1 AND NOT user_notified
               AND coalesce(withheld_until, at + interval '{ILegalDisclosuresGrain.MaxWithheldDays} days') > $4
             RETURNING {Columns}
            """,
            Read, disclosureId, renewedBy, until, now)).SingleOrDefault();

    /// <summary>
    /// Handed-over demands whose withholding lapsed by <paramref name="now"/>, oldest first, at most <paramref name="limit"/>.
    /// Handed over: marked done, or in the user's ledger though its mark failed (*reviewer*: the data had gone, and the row
    /// stayed hidden for good). One with no end (recorded by a silo of the previous release while the cluster rolled) ends a
    /// year after its record, as those before the release do.
    /// </summary>
    public Task<IReadOnlyList<LegalDisclosure>> LapsedAsync(DateTimeOffset now, int limit) =>
        dataSource.ReadRowsAsync(
            $"""
            SELECT {Columns} FROM legal_disclosures l
             WHERE NOT user_notified AND coalesce(withheld_until, at + interval '{ILegalDisclosuresGrain.MaxWithheldDays} days') <= $1
               AND (completed_at IS NOT NULL OR EXISTS (
                    SELECT 1 FROM user_disclosures d
                     WHERE d.user_id = l.user_id AND d.recipient_kind = 'LegalAuthority'
                       AND d.recipient = l.authority AND d.document_reference = l.document_reference))
             ORDER BY coalesce(withheld_until, at + interval '{ILegalDisclosuresGrain.MaxWithheldDays} days'), disclosure_id LIMIT $2
            """,
            Read, now, limit);

    /// <summary>The user is told of the demand from now on: their ledger, export and access log show it.</summary>
    public async Task ReleaseAsync(string disclosureId, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE legal_disclosures SET user_notified = true, released_at = coalesce(released_at, $2) WHERE disclosure_id = $1");
        command.Parameters.Add(new() { Value = disclosureId });
        command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Marks the demand's hand-over, its audit entry and the user's notice done.</summary>
    public async Task CompleteAsync(string disclosureId, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("UPDATE legal_disclosures SET completed_at = coalesce(completed_at, $2) WHERE disclosure_id = $1");
        command.Parameters.Add(new() { Value = disclosureId });
        command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync();
    }

    public Task<IReadOnlyList<LegalDisclosure>> WithheldAsync(int limit) =>
        dataSource.ReadRowsAsync(
            $"SELECT {Columns} FROM legal_disclosures WHERE NOT user_notified ORDER BY at, disclosure_id LIMIT $1", Read, limit);

    /// <summary>The withheld ones after the one recorded at <paramref name="at"/> with <paramref name="disclosureId"/>, oldest first.</summary>
    public Task<IReadOnlyList<LegalDisclosure>> WithheldAfterAsync(DateTimeOffset at, string disclosureId, int limit) =>
        dataSource.ReadRowsAsync(
            $"SELECT {Columns} FROM legal_disclosures WHERE NOT user_notified AND (at, disclosure_id) > ($1, $2) ORDER BY at, disclosure_id LIMIT $3",
            Read, at, disclosureId, limit);

    private static LegalDisclosure Read(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            reader.GetFieldValue<string[]>(5), reader.GetBoolean(6), reader.GetFieldValue<DateTimeOffset>(7),
            reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
            reader.GetBoolean(10), reader.IsDBNull(11) ? null : reader.GetString(11),
            reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12), reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13),
            reader.IsDBNull(14) ? null : reader.GetString(14));
}
