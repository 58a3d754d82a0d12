using Npgsql;

namespace MeiLing.Grains.Platform;

/// <summary>Small query helpers the platform's own tables share.</summary>
public static class DataSourceQueries
{
    /// <summary>The first column of every row, as strings, of a query with positional parameters.</summary>
    public static Task<IReadOnlyList<string>> ReadStringsAsync(this NpgsqlDataSource dataSource, string sql, params object[] parameters) =>
        dataSource.ReadRowsAsync(sql, reader => reader.GetString(0), parameters);

    /// <summary>Every row of a query with positional parameters, each read by <paramref name="read"/>.</summary>
    public static async Task<IReadOnlyList<T>> ReadRowsAsync<T>(this NpgsqlDataSource dataSource, string sql, Func<NpgsqlDataReader, T> read, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
