namespace MeiLing.Tests.Infrastructure;

/// <summary>Looks for a string in every column of every table of the database, bytea payloads decoded as UTF-8.</summary>
public static class DatabaseScan
{
    public static async Task<IReadOnlyList<string>> FindEverywhereAsync(this TestDatabase database, string needle)
    {
        var columns = new List<(string Table, string Column, string Type)>();
        await using (var command = database.DataSource.CreateCommand("""
            SELECT table_name, column_name, data_type FROM information_schema.columns
             WHERE table_schema = 'public' ORDER BY table_name, ordinal_position
            """))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var found = new List<string>();
        foreach (var (table, column, type) in columns)
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
}
