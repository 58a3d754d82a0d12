namespace MeiLing.Tests.Commerce;

/// <summary>
/// A database error where the platform writes, for as long as one act runs: a trigger raising on the rows it names, as a
/// full disk or a lost connection would answer that write, dropped once the act is done whatever it answered.
/// </summary>
internal static class StorageRefusals
{
    /// <summary>Refuses every insert or update of <paramref name="table"/> whose new row matches <paramref name="newRowMatches"/>.</summary>
    public static async Task<T> WhileRefusingAsync<T>(this TestDatabase database, string table, string newRowMatches, Func<Task<T>> act)
    {
        var trigger = $"refuse_{Guid.NewGuid():N}";
        await database.ScalarAsync<object>($"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'storage refuses'; END $$;
            CREATE TRIGGER {trigger} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW WHEN ({newRowMatches}) EXECUTE FUNCTION {trigger}();
            """);
        try
        {
            return await act();
        }
        finally
        {
            await database.ScalarAsync<object>($"DROP TRIGGER {trigger} ON {table}; DROP FUNCTION {trigger}();");
        }
    }

    /// <summary>Refuses the state writes of the grain whose key is <paramref name="grainKey"/>; its reads still work.</summary>
    public static Task<T> WhileStateWritesRefusedAsync<T>(this TestDatabase database, string grainKey, Func<Task<T>> act) =>
        database.WhileRefusingAsync("orleans_storage", $"NEW.grain_id_string = '{grainKey}'", act);

    /// <summary>Refuses the takings rows of one order (<c>merchant_takings</c>); its state writes still work.</summary>
    public static Task<T> WhileTakingsRefusedAsync<T>(this TestDatabase database, string orderId, Func<Task<T>> act) =>
        database.WhileRefusingAsync("merchant_takings", $"NEW.order_id = '{orderId}'", act);
}
