namespace MeiLing.Tests.Infrastructure;

/// <summary>Three silos, so one can be killed while a request is carried out.</summary>
public sealed class FailoverFixture : PlatformFixture
{
    protected override int Silos => 3;
}

/// <summary>Requests that wait to be driven by hand, on a cluster whose clock the tests move forward.</summary>
public sealed class TimeTravelFixture : PlatformFixture
{
    protected override TimeSpan RequestStartDelay => TimeSpan.FromHours(1);

    protected override TimeSpan RequestDrivePeriod => TimeSpan.FromHours(1);
}

[CollectionDefinition(Name)]
public sealed class FailoverCollection : ICollectionFixture<FailoverFixture>
{
    public const string Name = "failover";
}

/// <summary>A three-silo cluster of its own for killing a silo mid-delivery, apart from the data-rights crash tests.</summary>
[CollectionDefinition(Name)]
public sealed class WebhookFailoverCollection : ICollectionFixture<FailoverFixture>
{
    public const string Name = "webhook-failover";
}

[CollectionDefinition(Name)]
public sealed class TimeTravelCollection : ICollectionFixture<TimeTravelFixture>
{
    public const string Name = "time-travel";
}

/// <summary>A platform on a PostgreSQL of its own, which its tests stop and start (a database restart).</summary>
public sealed class OwnPostgresFixture : PlatformFixture
{
    private PrivatePostgres? _postgres;

    public PrivatePostgres Postgres => _postgres ?? throw new InvalidOperationException("Not started.");

    protected override async Task<string> ServerAsync()
    {
        _postgres = await PrivatePostgres.StartAsync();
        return _postgres.Server;
    }

    protected override async Task DisposeServerAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}

/// <summary>Tests that restart the database: on their own server, so no other collection sees it go.</summary>
[CollectionDefinition(Name)]
public sealed class OwnPostgresCollection : ICollectionFixture<OwnPostgresFixture>
{
    public const string Name = "own-postgres";
}
