using System.Text.Json;
using MeiLing.Grains.Privacy.Encryption;
using NpgsqlTypes;
using Npgsql;

namespace MeiLing.Grains.Activity;

/// <summary>The activity log table (P1.3): one row per request, written in bulk, with its lawful basis.</summary>
public sealed class ActivityLogStore(NpgsqlDataSource dataSource, UserDataKeys keys)
{
    // P1.10: the log is kept to secure the service, which needs no consent.
    private const string Basis = "service-security";

    public async Task AppendAsync(IReadOnlyList<ActivityEntry> entries)
    {
        // The request's details (IP, browser, searches) are sealed under the user's key, looked up once per
        // user in the batch; entries of a user whose key is gone (the account was cancelled while they were
        // on their way) are dropped.
        var rows = new List<(ActivityEntry Entry, byte[] Sealed)>(entries.Count);
        foreach (var ofUser in entries.GroupBy(entry => entry.UserId))
        {
            if (await keys.SealerIfKeyedAsync(ofUser.Key) is { } seal)
            {
                rows.AddRange(ofUser.Select(entry => (entry, seal(JsonSerializer.SerializeToUtf8Bytes(entry)))));
            }
        }

        if (rows.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY user_activity (user_id, at, sealed_entry, basis) FROM STDIN (FORMAT BINARY)");
        foreach (var (entry, sealedEntry) in rows)
        {
            await importer.StartRowAsync();
            await importer.WriteAsync(entry.UserId, NpgsqlDbType.Text);
            await importer.WriteAsync(entry.At, NpgsqlDbType.TimestampTz);
            await importer.WriteAsync(sealedEntry, NpgsqlDbType.Bytea);
            await importer.WriteAsync(Basis, NpgsqlDbType.Text);
        }

        await importer.CompleteAsync();
    }

    public async Task<IReadOnlyList<ActivityEntry>> ListAsync(string userId, int limit)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT sealed_entry FROM user_activity WHERE user_id = $1 ORDER BY at DESC LIMIT $2
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = limit });
        var sealedEntries = new List<byte[]>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                sealedEntries.Add(reader.GetFieldValue<byte[]>(0));
            }
        }

        var entries = new List<ActivityEntry>(sealedEntries.Count);
        foreach (var sealedEntry in sealedEntries)
        {
            if (await keys.OpenAsync(userId, sealedEntry) is { } opened)
            {
                entries.Add(JsonSerializer.Deserialize<ActivityEntry>(opened)!);
            }
        }

        return entries;
    }

    public async Task<int> EraseAsync(string userId)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM user_activity WHERE user_id = $1");
        command.Parameters.Add(new() { Value = userId });
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<int> ExpireAsync(DateTimeOffset cutoff)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM user_activity WHERE at < $1");
        command.Parameters.Add(new() { Value = cutoff, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync();
    }

}
