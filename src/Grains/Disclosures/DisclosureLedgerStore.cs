using MeiLing.Grains.Consents;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.Disclosures;

/// <summary>The disclosure ledger (P3.1): one append-only row per hand-over of a user's data.</summary>
public sealed class DisclosureLedgerStore(NpgsqlDataSource dataSource)
{
    public async Task AppendAsync(string userId, DisclosureRecord record)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO user_disclosures (user_id, at, recipient, recipient_kind, fields, purpose, basis, consent_receipt_id, document_reference, note)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = record.At, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = record.Recipient });
        command.Parameters.Add(new() { Value = record.RecipientKind.ToString() });
        command.Parameters.Add(new() { Value = record.Fields.ToArray() });
        command.Parameters.Add(new() { Value = record.Purpose });
        command.Parameters.Add(new() { Value = record.Basis.ToString() });
        command.Parameters.Add(new() { Value = (object?)record.ConsentReceiptId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)record.DocumentReference ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)record.Note ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<DisclosureRecord>> ListAsync(string userId, int limit)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT recipient, recipient_kind, fields, purpose, basis, at, consent_receipt_id, document_reference, note
              FROM user_disclosures WHERE user_id = $1 ORDER BY at DESC LIMIT $2
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = limit });
        var records = new List<DisclosureRecord>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            records.Add(new DisclosureRecord(
                reader.GetString(0),
                Enum.Parse<RecipientKind>(reader.GetString(1)),
                reader.GetFieldValue<string[]>(2),
                reader.GetString(3),
                Enum.Parse<LawfulBasis>(reader.GetString(4)),
                reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8)));
        }

        return records;
    }

    /// <summary>Every party outside the platform that received the user's data, with the fields each received (issue 14: who hears of a request).</summary>
    public async Task<IReadOnlyList<(string Recipient, RecipientKind Kind, IReadOnlyList<string> Fields)>> RecipientsAsync(string userId)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT recipient, recipient_kind, array_agg(DISTINCT field ORDER BY field)
              FROM user_disclosures, unnest(fields) AS field
             WHERE user_id = $1 GROUP BY recipient, recipient_kind ORDER BY recipient
            """);
        command.Parameters.Add(new() { Value = userId });
        var recipients = new List<(string, RecipientKind, IReadOnlyList<string>)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            recipients.Add((reader.GetString(0), Enum.Parse<RecipientKind>(reader.GetString(1)), reader.GetFieldValue<string[]>(2)));
        }

        return recipients;
    }

    public async Task<int> EraseAsync(string userId)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM user_disclosures WHERE user_id = $1");
        command.Parameters.Add(new() { Value = userId });
        return await command.ExecuteNonQueryAsync();
    }
}
