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
