using System.Data.Common;
using Npgsql;

namespace MeiLing.ServiceDefaults;

/// <summary>Settings every process of the platform applies to its PostgreSQL connection string.</summary>
public static class PostgresConnections
{
    /// <summary>How many statements each pooled connection keeps prepared, unless the connection string says.</summary>
    public const int AutoPreparedStatements = 32;

    /// <summary>
    /// The connection string with Npgsql's automatic preparation on (<c>Max Auto Prepare</c>), unless it
    /// sets that itself (0 turns it off).
    /// </summary>
    /// <remarks>
    /// The platform's writes are a few fixed statements (grain state read and write, index upserts) run
    /// thousands of times a second; unprepared, PostgreSQL parses and plans each one on every use, which a
    /// profile of order placement put at over a quarter of PostgreSQL's CPU. Prepared statements live on
    /// their pooled connection, and Npgsql resets such a connection without <c>DISCARD ALL</c> so they survive.
    /// </remarks>
    public static string WithStatementReuse(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Names(connectionString, "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = AutoPreparedStatements;
        }

        return builder.ConnectionString;
    }

    // Npgsql's builder answers for every keyword it knows, set or not; the plain one holds only what was written.
    private static bool Names(string connectionString, string keyword) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(key => string.Equals(key.Replace(" ", "", StringComparison.Ordinal), keyword, StringComparison.OrdinalIgnoreCase));
}
