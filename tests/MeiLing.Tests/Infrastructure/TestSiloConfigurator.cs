using MeiLing.Silo.Extensions;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace MeiLing.Tests.Infrastructure;

/// <summary>Gives each test silo the platform's real PostgreSQL storage and reminders.</summary>
public sealed class TestSiloConfigurator : ISiloConfigurator
{
    public const string ConnectionStringKey = "MeiLingTests:Postgres";

    public void Configure(ISiloBuilder siloBuilder)
    {
        var connectionString = siloBuilder.Configuration[ConnectionStringKey]
            ?? throw new InvalidOperationException($"{ConnectionStringKey} is not configured.");
        siloBuilder.AddMeiLingStorage(connectionString);
        siloBuilder.Services.AddSingleton(TimeProvider.System);
    }
}
