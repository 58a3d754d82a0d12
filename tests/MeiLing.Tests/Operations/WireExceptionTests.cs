using MeiLing.Grains;
using MeiLing.Grains.Platform;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace MeiLing.Tests.Operations;

/// <summary>
/// A grain whose PostgreSQL call failed answers with the platform's own refusal, so the API can say 503 rather
/// than 500 without knowing PostgreSQL, and no host widens the exception types Orleans puts on the wire.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class WireExceptionTests(PlatformFixture platform)
{
    [Fact]
    public void A_postgresql_failure_inside_an_orleans_exception_leaves_the_silo_as_unavailable()
    {
        var failure = new OrleansException("Error from storage provider", new NpgsqlException("Failed to connect"));

        var refusal = InfrastructureFailureFilter.Classify(failure);
        var serializer = platform.Api.Services.GetRequiredService<Serializer>();
        var received = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(refusal!));

        Assert.Equal(DomainErrorKind.Unavailable, Assert.IsType<DomainException>(received).Kind);
        Assert.DoesNotContain("Failed to connect", received.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refusal_or_a_bug_is_left_as_it_is()
    {
        Assert.Null(InfrastructureFailureFilter.Classify(DomainException.NotFound("x", "gone")));
        Assert.Null(InfrastructureFailureFilter.Classify(new InvalidOperationException("a bug")));
    }

    [Fact]
    public void Neither_the_api_nor_a_silo_lets_postgresql_exceptions_onto_the_wire()
    {
        var silo = ((InProcessSiloHandle)platform.Cluster.Primary!).SiloHost.Services;

        foreach (var services in new[] { platform.Api.Services, silo })
        {
            var options = services.GetRequiredService<IOptions<ExceptionSerializationOptions>>().Value;
            Assert.DoesNotContain(options.SupportedNamespacePrefixes, prefix => prefix.StartsWith("Npgsql", StringComparison.Ordinal));
            var serializer = services.GetRequiredService<Serializer>();
            Assert.ThrowsAny<Exception>(() => serializer.SerializeToArray<Exception>(new OrleansException("Error from storage provider", new NpgsqlException("Failed to connect"))));
        }
    }
}
