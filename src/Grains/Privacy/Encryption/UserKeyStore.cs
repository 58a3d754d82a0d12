using Npgsql;

namespace MeiLing.Grains.Privacy.Encryption;

/// <summary>Users' wrapped data keys: one row per user; deleting it is crypto-shredding (P4.1).</summary>
public sealed class UserKeyStore(NpgsqlDataSource dataSource)
{
    public async Task<(string MasterKeyId, byte[] Wrapped)?> FindAsync(string userId)
    {
        await using var command = dataSource.CreateCommand("SELECT master_key_id, wrapped_key FROM user_data_keys WHERE user_id = $1");
        command.Parameters.Add(new() { Value = userId });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetFieldValue<byte[]>(1)) : null;
    }

    /// <summary>The wrapped keys of those of <paramref name="userIds"/> who have one, in one query.</summary>
    public async Task<IReadOnlyDictionary<string, (string MasterKeyId, byte[] Wrapped)>> FindManyAsync(IReadOnlyCollection<string> userIds)
    {
        await using var command = dataSource.CreateCommand("SELECT user_id, master_key_id, wrapped_key FROM user_data_keys WHERE user_id = ANY($1)");
        command.Parameters.Add(new() { Value = userIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        var found = new Dictionary<string, (string, byte[])>(userIds.Count, StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            found[reader.GetString(0)] = (reader.GetString(1), reader.GetFieldValue<byte[]>(2));
        }

        return found;
    }

    /// <summary>Stores a key unless the user already has one (two silos racing keep the first).</summary>
    public async Task AddAsync(string userId, string masterKeyId, byte[] wrapped)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO user_data_keys (user_id, master_key_id, wrapped_key) VALUES ($1, $2, $3) ON CONFLICT (user_id) DO NOTHING");
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = masterKeyId });
        command.Parameters.Add(new() { Value = wrapped });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<int> DeleteAsync(string userId)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM user_data_keys WHERE user_id = $1");
        command.Parameters.Add(new() { Value = userId });
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>A batch of keys still wrapped by another master key than <paramref name="currentId"/>.</summary>
    public async Task<IReadOnlyList<(string UserId, string MasterKeyId, byte[] Wrapped)>> NotWrappedByAsync(string currentId, int limit)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT user_id, master_key_id, wrapped_key FROM user_data_keys WHERE master_key_id <> $1 LIMIT $2");
        command.Parameters.Add(new() { Value = currentId });
        command.Parameters.Add(new() { Value = limit });
        var rows = new List<(string, string, byte[])>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2)));
        }

        return rows;
    }

    public async Task RewrapAsync(string userId, string fromMasterKeyId, string toMasterKeyId, byte[] wrapped)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE user_data_keys SET master_key_id = $3, wrapped_key = $4 WHERE user_id = $1 AND master_key_id = $2");
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = fromMasterKeyId });
        command.Parameters.Add(new() { Value = toMasterKeyId });
        command.Parameters.Add(new() { Value = wrapped });
        await command.ExecuteNonQueryAsync();
    }
}
