using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace MeiLing.ServiceDefaults;

/// <summary>
/// The API hosts' data-protection key ring in PostgreSQL (<c>data_protection_keys</c>, migration 0049), so every
/// host reads the same keys: a console cookie or an antiforgery token one host issued is accepted by the others,
/// and by itself after a restart. Deletable, so keys long past their expiry can go (<c>KeyRingRetention</c>).
/// </summary>
/// <remarks>
/// The framework's interface is synchronous; it is called when a host loads its key ring (at start, then about
/// once a day, or when it meets a key it has not seen in its first minutes) and when a key is made (every
/// 90 days), never for each request.
/// </remarks>
public sealed class PostgresKeyRingRepository(NpgsqlDataSource dataSource) : IDeletableXmlRepository
{
    private const string UndefinedTable = "42P01";

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        try
        {
            using var command = dataSource.CreateCommand("SELECT id, xml FROM data_protection_keys ORDER BY id");
            return [.. ReadRows(command).Select(row => row.Element)];
        }
        catch (PostgresException exception) when (exception.SqlState == UndefinedTable)
        {
            throw MissingTable(exception);
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        try
        {
            using var command = dataSource.CreateCommand("INSERT INTO data_protection_keys (friendly_name, xml) VALUES ($1, $2)");
            command.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
            command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
            command.ExecuteNonQuery();
        }
        catch (PostgresException exception) when (exception.SqlState == UndefinedTable)
        {
            throw MissingTable(exception);
        }
    }

    /// <summary>
    /// Shows the framework every row and deletes those it chose, in its order, in one transaction: a failure part way
    /// deletes none (so no revocation goes while its key stays). The rows are locked meanwhile, so hosts pruning at
    /// once choose one after another, the later one from what the first left.
    /// </summary>
    public bool DeleteElements(Action<IReadOnlyCollection<IDeletableElement>> chooseElements)
    {
        try
        {
            using var connection = dataSource.OpenConnection();
            using var transaction = connection.BeginTransaction();
            List<StoredElement> rows;
            using (var read = new NpgsqlCommand("SELECT id, xml FROM data_protection_keys ORDER BY id FOR UPDATE", connection, transaction))
            {
                rows = ReadRows(read);
            }

            chooseElements(rows);
            foreach (var row in rows.Where(row => row.DeletionOrder is not null).OrderBy(row => row.DeletionOrder))
            {
                using var delete = new NpgsqlCommand("DELETE FROM data_protection_keys WHERE id = $1", connection, transaction);
                delete.Parameters.Add(new NpgsqlParameter { Value = row.Id });
                delete.ExecuteNonQuery();
            }

            transaction.Commit();
            return true;
        }
        catch (PostgresException exception) when (exception.SqlState == UndefinedTable)
        {
            throw MissingTable(exception);
        }
    }

    private static List<StoredElement> ReadRows(NpgsqlCommand command)
    {
        var rows = new List<StoredElement>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new StoredElement(reader.GetInt64(0), XElement.Parse(reader.GetString(1))));
        }

        return rows;
    }

    // An API host started against a database no silo of its version has migrated yet.
    private static InvalidOperationException MissingTable(PostgresException exception) => new(
        "The data-protection key ring table (data_protection_keys, migration 0049) is missing: a silo of this version applies the schema when it starts.",
        exception);

    private sealed class StoredElement(long id, XElement element) : IDeletableElement
    {
        public long Id { get; } = id;

        public XElement Element { get; } = element;

        public int? DeletionOrder { get; set; }
    }
}
