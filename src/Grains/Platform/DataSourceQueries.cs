using Npgsql;

namespace MeiLing.Grains.Platform;

/// <summary>Small query helpers the platform's own tables share.</summary>
public static class DataSourceQueries
{
    /// <summary>The first column of every row, as strings, of a query with positional parameters.</summary>
    public static async Task<IReadOnlyList<string>> ReadStringsAsync(this NpgsqlDataSource dataSource, string sql, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
