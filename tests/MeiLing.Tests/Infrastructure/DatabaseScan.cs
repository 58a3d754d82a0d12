namespace MeiLing.Tests.Infrastructure;

/// <summary>Looks for a string in every column of every table of the database, bytea payloads decoded as UTF-8.</summary>
public static class DatabaseScan
{
    public static async Task<IReadOnlyList<string>> FindEverywhereAsync(this TestDatabase database, string needle)
    {
        var found = new List<string>();
        foreach (var (table, column, type) in await ColumnsAsync(database))
        {
            var condition = type == "bytea"
                ? $"position(convert_to($1, 'UTF8') in \"{column}\") > 0"
                : $"position($1 in \"{column}\"::text) > 0";
            var hits = await database.ScalarAsync<long>($"SELECT count(*) FROM \"{table}\" WHERE {condition}", needle);
            if (hits > 0)
            {
                found.Add($"{table}.{column}");
            }
        }

        return found;
    }

    /// <summary>
    /// Every row, of every table but <paramref name="exceptTables"/>, in which any column mentions
    /// <paramref name="needle"/>: each row whole as text (payloads decoded), sorted, so that two snapshots
    /// compare byte for byte.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RowsMentioningAsync(this TestDatabase database, string needle, params string[] exceptTables)
    {
        var rows = new List<string>();
        foreach (var table in (await ColumnsAsync(database)).GroupBy(column => column.Table).Where(table => !exceptTables.Contains(table.Key)))
        {
            var row = $"concat_ws(' | ', {string.Join(", ", table.Select(column => $"'{column.Column}=' || coalesce({AsText(column.Column, column.Type)}, 'NULL')"))})";
            await using var command = database.DataSource.CreateCommand($"SELECT {row} FROM \"{table.Key}\" WHERE position($1 in {row}) > 0");
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = needle });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add($"{table.Key}: {reader.GetString(0)}");
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static string AsText(string column, string type) =>
        // Sealed columns hold arbitrary bytes: escape them rather than decode them as text.
        type == "bytea" ? $"encode(\"{column}\", 'escape')" : $"\"{column}\"::text";

    private static async Task<List<(string Table, string Column, string Type)>> ColumnsAsync(TestDatabase database)
    {
        var columns = new List<(string Table, string Column, string Type)>();
        await using var command = database.DataSource.CreateCommand("""
            SELECT table_name, column_name, data_type FROM information_schema.columns
             WHERE table_schema = 'public' ORDER BY table_name, ordinal_position
            """);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return columns;
    }
}
