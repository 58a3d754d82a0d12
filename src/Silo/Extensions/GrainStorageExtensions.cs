using System.Text.Json.Serialization;
using MeiLing.Grains.Platform;
using Orleans.Serialization;

namespace MeiLing.Silo.Extensions;

/// <summary>The platform's durable grain storage and reminders, shared by the silo host and the test cluster.</summary>
public static class GrainStorageExtensions
{
    public const string Invariant = "Npgsql";

    public static ISiloBuilder AddMeiLingStorage(this ISiloBuilder silo, string connectionString)
    {
        // Plain JSON with enums by name: rows stay readable with convert_from(payload, 'UTF8'),
        // and renaming a state class does not strand its rows (no $type names).
        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.Services.Configure<SystemTextJsonGrainStorageSerializerOptions>(options =>
            options.JsonSerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        silo.AddAdoNetGrainStorage(StorageNames.Default, options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
            // Nothing of a cleared grain may stay behind (P4.1): clearing deletes the row.
            options.DeleteStateOnClear = true;
        });
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        return silo;
    }
}
