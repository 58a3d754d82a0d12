using MeiLing.Grains.Privacy;
using MeiLing.Silo.Extensions;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace MeiLing.Tests.Infrastructure;

/// <summary>Gives each test silo the platform's real PostgreSQL storage and reminders.</summary>
public sealed class TestSiloConfigurator : ISiloConfigurator
{
    public const string ConnectionStringKey = "MeiLingTests:Postgres";
    public const string PhoneHashKey = "test-phone-hash-key-0123456789abcdef";

    public void Configure(ISiloBuilder siloBuilder)
    {
        var connectionString = siloBuilder.Configuration[ConnectionStringKey]
            ?? throw new InvalidOperationException($"{ConnectionStringKey} is not configured.");
        siloBuilder.AddMeiLingGrains(connectionString);
        siloBuilder.Services.Configure<PrivacySettings>(privacy => privacy.PhoneHashKey = PhoneHashKey);
    }
}
