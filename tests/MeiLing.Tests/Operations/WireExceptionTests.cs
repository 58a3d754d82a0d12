using MeiLing.Grains.Platform;
using Npgsql;
using Orleans.Serialization;

namespace MeiLing.Tests.Operations;

/// <summary>A grain whose PostgreSQL call failed must answer with that failure, so the API can say 503 rather than 500.</summary>
public sealed class WireExceptionTests
{
    [Fact]
    public void A_postgresql_failure_inside_an_orleans_exception_crosses_the_wire()
    {
        var serializer = Serializer(allowPostgres: true);
        var failure = new OrleansException("Error from storage provider", new NpgsqlException("Failed to connect"));

        var received = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(failure));

        Assert.IsType<NpgsqlException>(Assert.IsType<OrleansException>(received).InnerException);
    }

    [Fact]
    public void Without_the_registration_it_does_not_cross()
    {
        var serializer = Serializer(allowPostgres: false);
        var failure = new OrleansException("Error from storage provider", new NpgsqlException("Failed to connect"));

        Assert.ThrowsAny<Exception>(() => serializer.SerializeToArray<Exception>(failure));
    }

    private static Serializer Serializer(bool allowPostgres)
    {
        var services = new ServiceCollection().AddSerializer();
        if (allowPostgres)
        {
            services.AddPostgresExceptionSerialization();
        }

        return services.BuildServiceProvider().GetRequiredService<Serializer>();
    }
}
