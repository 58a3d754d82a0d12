using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.Users;

/// <summary>
/// Location samples (P1.2) live in their own table rather than in the user's grain state: they are
/// many, they expire one by one, and withdrawal erases them in one statement. Each row carries the
/// consent receipt it was collected under (P1.10).
/// </summary>
public sealed class LocationSampleStore(NpgsqlDataSource dataSource)
{
    public async Task AddAsync(string userId, LocationSample sample, string receiptId)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO user_location_samples (user_id, at, latitude, longitude, accuracy_meters, source, consent_receipt_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = sample.At, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = sample.Latitude });
        command.Parameters.Add(new() { Value = sample.Longitude });
        command.Parameters.Add(new() { Value = sample.AccuracyMeters });
        command.Parameters.Add(new() { Value = sample.Source.ToString().ToLowerInvariant() });
        command.Parameters.Add(new() { Value = receiptId });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<LocationSample>> ListAsync(string userId, int limit)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT latitude, longitude, accuracy_meters, source, at FROM user_location_samples
             WHERE user_id = $1 ORDER BY at DESC LIMIT $2
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = limit });
        var samples = new List<LocationSample>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            samples.Add(new LocationSample(
                reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2),
                Enum.Parse<LocationSource>(reader.GetString(3), ignoreCase: true),
                reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return samples;
    }

    /// <summary>Erases every sample of the user; returns how many there were.</summary>
    public async Task<int> EraseAsync(string userId)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM user_location_samples WHERE user_id = $1");
        command.Parameters.Add(new() { Value = userId });
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Erases samples taken before <paramref name="cutoff"/>, for everyone.</summary>
    public async Task<int> ExpireAsync(DateTimeOffset cutoff)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM user_location_samples WHERE at < $1");
        command.Parameters.Add(new() { Value = cutoff, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync();
    }
}
