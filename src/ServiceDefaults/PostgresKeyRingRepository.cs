using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace MeiLing.ServiceDefaults;

/// <summary>
/// The API hosts' data-protection key ring in PostgreSQL (<c>data_protection_keys</c>, migration 0049), so every
/// host reads the same keys: a console cookie or an antiforgery token one host issued is accepted by the others,
/// and by itself after a restart.
/// </summary>
/// <remarks>
/// The framework's interface is synchronous; it is called when a host loads its key ring (at start, then about
/// once a day, or when it meets a key it has not seen in its first minutes) and when a key is made (every
/// 90 days), never for each request.
/// </remarks>
public sealed class PostgresKeyRingRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    private const string UndefinedTable = "42P01";

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var elements = new List<XElement>();
        try
        {
            using var command = dataSource.CreateCommand("SELECT xml FROM data_protection_keys ORDER BY id");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                elements.Add(XElement.Parse(reader.GetString(0)));
            }
        }
        catch (PostgresException exception) when (exception.SqlState == UndefinedTable)
        {
            throw MissingTable(exception);
        }

        return elements;
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

    // An API host started against a database no silo of its version has migrated yet.
    private static InvalidOperationException MissingTable(PostgresException exception) => new(
        "The data-protection key ring table (data_protection_keys, migration 0049) is missing: a silo of this version applies the schema when it starts.",
        exception);
}
