using System.Data.Common;
using Npgsql;

namespace MeiLing.ServiceDefaults;

/// <summary>Settings every process of the platform applies to its PostgreSQL connection string.</summary>
public static class PostgresConnections
{
    /// <summary>The ADO.NET provider name Orleans' clustering, storage and reminders load PostgreSQL's driver by.</summary>
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>How many statements each pooled connection keeps prepared, unless the connection string says.</summary>
    public const int AutoPreparedStatements = 32;

    /// <summary>
    /// The connection string with Npgsql's automatic preparation on (<c>Max Auto Prepare</c>) and no
    /// session reset when a connection goes back to the pool (<c>No Reset On Close</c>), unless it sets
    /// those itself (<c>Max Auto Prepare=0</c>, <c>No Reset On Close=false</c> turn them off).
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

        // With statements prepared, Npgsql cannot reset a connection returned to the pool with one
        // DISCARD ALL: it sends seven statements (RESET ALL, SET SESSION AUTHORIZATION DEFAULT, CLOSE ALL,
        // UNLISTEN *, pg_advisory_unlock_all(), DISCARD SEQUENCES, DISCARD TEMP) on the connection's next
        // use. pg_stat_statements counted 1.4 such resets per consent change and 2.0 per order: 10 and 14
        // statements, against 1 and 3 that do the work. The platform leaves no session state on a pooled
        // connection to reset (no SET, LISTEN or temporary tables; the schema migrator's advisory lock is
        // released in a finally), so it skips the reset, unless the connection string says otherwise.
        if (!Names(connectionString, "NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    // Npgsql's builder answers for every keyword it knows, set or not; the plain one holds only what was written.
    private static bool Names(string connectionString, string keyword) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(key => string.Equals(key.Replace(" ", "", StringComparison.Ordinal), keyword, StringComparison.OrdinalIgnoreCase));
}
