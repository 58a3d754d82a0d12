using NpgsqlTypes;
using Npgsql;

namespace MeiLing.Grains.Activity;

/// <summary>The activity log table (P1.3): one row per request, written in bulk, with its lawful basis.</summary>
public sealed class ActivityLogStore(NpgsqlDataSource dataSource)
{
    // P1.10: the log is kept to secure the service, which needs no consent.
    private const string Basis = "service-security";

    public async Task AppendAsync(IReadOnlyList<ActivityEntry> entries)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY user_activity (user_id, at, ip_address, user_agent, language, operating_system, path, search_terms, basis) FROM STDIN (FORMAT BINARY)");
        foreach (var entry in entries)
        {
            await importer.StartRowAsync();
            await importer.WriteAsync(entry.UserId, NpgsqlDbType.Text);
            await importer.WriteAsync(entry.At, NpgsqlDbType.TimestampTz);
            await WriteNullableAsync(importer, entry.IpAddress);
            await WriteNullableAsync(importer, entry.UserAgent);
            await WriteNullableAsync(importer, entry.Language);
            await WriteNullableAsync(importer, entry.OperatingSystem);
            await importer.WriteAsync(entry.Path, NpgsqlDbType.Text);
            await WriteNullableAsync(importer, entry.SearchTerms);
            await importer.WriteAsync(Basis, NpgsqlDbType.Text);
        }

        await importer.CompleteAsync();
    }

    public async Task<IReadOnlyList<ActivityEntry>> ListAsync(string userId, int limit)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT at, ip_address, user_agent, language, operating_system, path, search_terms
              FROM user_activity WHERE user_id = $1 ORDER BY at DESC LIMIT $2
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = limit });
        var entries = new List<ActivityEntry>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add(new ActivityEntry(
                userId, reader.GetFieldValue<DateTimeOffset>(0), NullableString(reader, 1), NullableString(reader, 2),
                NullableString(reader, 3), NullableString(reader, 4), reader.GetString(5), NullableString(reader, 6)));
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

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, string? value) =>
        value is null ? importer.WriteNullAsync() : importer.WriteAsync(value, NpgsqlDbType.Text);

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
