using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.Consents;

/// <summary>
/// The consent receipts table: the durable history of every consent decision, appended by the user grain
/// that takes the decision and read back by it (its current consents), by the receipt's own grain and by
/// the data-rights steps. Rows are never rewritten (a trigger refuses it), only pseudonymized.
/// </summary>
public sealed class ConsentReceiptStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "receipt_id, user_id, purpose, granted, policy_version, given_at, collection_method, jurisdiction";

    /// <summary>Appends one receipt; a single autocommitted insert, so when this returns the decision is durable.</summary>
    public async Task AppendAsync(ConsentReceipt receipt)
    {
        await using var command = dataSource.CreateCommand($"INSERT INTO consent_receipts ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
        AddParameters(command.Parameters, receipt);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The insert of one receipt, for a batch that writes it together with what it causes.</summary>
    public static NpgsqlBatchCommand AppendCommand(ConsentReceipt receipt)
    {
        var command = new NpgsqlBatchCommand($"INSERT INTO consent_receipts ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
        AddParameters(command.Parameters, receipt);
        return command;
    }

    /// <summary>Appends receipts kept elsewhere by an earlier version; those already here are skipped.</summary>
    public async Task ImportAsync(IReadOnlyList<ConsentReceipt> receipts)
    {
        await using var batch = dataSource.CreateBatch();
        foreach (var receipt in receipts)
        {
            var command = new NpgsqlBatchCommand($"INSERT INTO consent_receipts ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (receipt_id) DO NOTHING");
            AddParameters(command.Parameters, receipt);
            batch.BatchCommands.Add(command);
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync();
        }
    }

    public async Task<ConsentReceipt?> GetAsync(string receiptId)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM consent_receipts WHERE receipt_id = $1");
        command.Parameters.Add(new() { Value = receiptId });
        var found = await ReadAsync(command);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>Every receipt of the user, oldest first.</summary>
    public async Task<IReadOnlyList<ConsentReceipt>> OfUserAsync(string userId)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM consent_receipts WHERE user_id = $1 ORDER BY sequence");
        command.Parameters.Add(new() { Value = userId });
        return await ReadAsync(command);
    }

    /// <summary><paramref name="take"/> of the user's receipts after the first <paramref name="skip"/>, in the order asked.</summary>
    public async Task<IReadOnlyList<ConsentReceipt>> PageOfUserAsync(string userId, int skip, int take, bool newestFirst)
    {
        await using var command = dataSource.CreateCommand(newestFirst
            ? $"SELECT {Columns} FROM consent_receipts WHERE user_id = $1 ORDER BY sequence DESC OFFSET $2 LIMIT $3"
            : $"SELECT {Columns} FROM consent_receipts WHERE user_id = $1 ORDER BY sequence OFFSET $2 LIMIT $3");
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = skip });
        command.Parameters.Add(new() { Value = take });
        return await ReadAsync(command);
    }

    /// <summary>The latest receipt of each purpose the user ever decided on: their current consents.</summary>
    public async Task<IReadOnlyList<ConsentReceipt>> CurrentOfUserAsync(string userId)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT DISTINCT ON (purpose) {Columns} FROM consent_receipts WHERE user_id = $1 ORDER BY purpose, sequence DESC");
        command.Parameters.Add(new() { Value = userId });
        return await ReadAsync(command);
    }

    /// <summary>
    /// Gives each of the user's receipts a pseudonym of its own (P4.1): the decisions stay as proof that
    /// consent was asked and answered, and neither lead to the person nor to each other. Returns how many.
    /// </summary>
    public async Task<int> PseudonymizeAsync(string userId)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE consent_receipts SET user_id = 'anon_' || replace(gen_random_uuid()::text, '-', '') WHERE user_id = $1");
        command.Parameters.Add(new() { Value = userId });
        return await command.ExecuteNonQueryAsync();
    }

    private static void AddParameters(NpgsqlParameterCollection parameters, ConsentReceipt receipt)
    {
        parameters.Add(new() { Value = receipt.ReceiptId });
        parameters.Add(new() { Value = receipt.UserId });
        parameters.Add(new() { Value = ConsentPurposes.Name(receipt.Purpose) });
        parameters.Add(new() { Value = receipt.Granted });
        parameters.Add(new() { Value = receipt.PolicyVersion });
        parameters.Add(new() { Value = receipt.At, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        parameters.Add(new() { Value = receipt.CollectionMethod });
        parameters.Add(new() { Value = receipt.Jurisdiction });
    }

    private static async Task<IReadOnlyList<ConsentReceipt>> ReadAsync(NpgsqlCommand command)
    {
        var receipts = new List<ConsentReceipt>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ConsentPurposes.TryParse(reader.GetString(2), out var purpose);
            receipts.Add(new ConsentReceipt(
                reader.GetString(0), reader.GetString(1), purpose, reader.GetBoolean(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(6), reader.GetString(7)));
        }

        return receipts;
    }
}
