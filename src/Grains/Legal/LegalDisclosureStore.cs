using MeiLing.Grains.Platform;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.Legal;

/// <summary>Every legal demand answered (P3.3), kept for operators' review of those the user could not be told about.</summary>
public sealed class LegalDisclosureStore(NpgsqlDataSource dataSource)
{
    public async Task AddAsync(LegalDisclosure disclosure, string recordedBy)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO legal_disclosures (disclosure_id, user_id, authority, document_type, document_reference, fields, user_notified, recorded_by, at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """);
        command.Parameters.Add(new() { Value = disclosure.DisclosureId });
        command.Parameters.Add(new() { Value = disclosure.UserId });
        command.Parameters.Add(new() { Value = disclosure.Authority });
        command.Parameters.Add(new() { Value = disclosure.DocumentType });
        command.Parameters.Add(new() { Value = disclosure.DocumentReference });
        command.Parameters.Add(new() { Value = disclosure.Fields.ToArray() });
        command.Parameters.Add(new() { Value = disclosure.UserNotified });
        command.Parameters.Add(new() { Value = recordedBy });
        command.Parameters.Add(new() { Value = disclosure.At, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync();
    }

    public Task<IReadOnlyList<LegalDisclosure>> WithheldAsync(int limit) =>
        dataSource.ReadRowsAsync(
            """
            SELECT disclosure_id, user_id, authority, document_type, document_reference, fields, user_notified, at
              FROM legal_disclosures WHERE NOT user_notified ORDER BY at, disclosure_id LIMIT $1
            """,
            reader => new LegalDisclosure(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<string[]>(5), reader.GetBoolean(6), reader.GetFieldValue<DateTimeOffset>(7)),
            limit);
}
