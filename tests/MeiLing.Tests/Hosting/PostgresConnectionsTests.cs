using MeiLing.ServiceDefaults;
using Npgsql;

namespace MeiLing.Tests.Hosting;

public sealed class PostgresConnectionsTests
{
    [Fact]
    public void Statements_are_prepared_automatically_by_default()
    {
        var tuned = new NpgsqlConnectionStringBuilder(
            PostgresConnections.WithStatementReuse("Host=127.0.0.1;Database=meiling;Username=meiling;Password=s3cret;Maximum Pool Size=50"));

        Assert.Equal(PostgresConnections.AutoPreparedStatements, tuned.MaxAutoPrepare);
        Assert.Equal(50, tuned.MaxPoolSize);
        Assert.Equal("meiling", tuned.Database);
        Assert.Equal("s3cret", tuned.Password);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Max Auto Prepare=0", 0)]
    [InlineData("Host=127.0.0.1;max auto prepare=7", 7)]
    [InlineData("Host=127.0.0.1;MaxAutoPrepare=5", 5)]
    public void A_connection_string_that_says_how_many_keeps_its_own(string connectionString, int expected)
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresConnections.WithStatementReuse(connectionString));

        Assert.Equal(expected, tuned.MaxAutoPrepare);
    }

    [Fact]
    public void Pooled_connections_are_not_reset_by_default()
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresConnections.WithStatementReuse("Host=127.0.0.1;Database=meiling"));

        Assert.True(tuned.NoResetOnClose);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;No Reset On Close=false")]
    [InlineData("Host=127.0.0.1;noresetonclose=false")]
    public void A_connection_string_that_asks_for_the_reset_keeps_it(string connectionString)
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresConnections.WithStatementReuse(connectionString));

        Assert.False(tuned.NoResetOnClose);
    }
}
