using MeiLing.ServiceDefaults;
using MeiLing.Silo;
using MeiLing.Silo.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace MeiLing.Tests.Operations;

public sealed class MembershipTuningTests
{
    [Fact]
    public void By_default_a_dead_silo_is_suspected_within_a_few_seconds()
    {
        var options = Membership();

        // Orleans probes about every max(ProbeTimeout / 2, MinProbeTimeout) on a quiet network, and a
        // silo votes after NumMissedProbesLimit misses in a row (the defaults: 2.5 s x 3, about 12 s in all).
        var probePeriod = Max(options.ProbeTimeout / 2, options.MinProbeTimeout);
        Assert.True(probePeriod * options.NumMissedProbesLimit <= TimeSpan.FromSeconds(4), $"{probePeriod} x {options.NumMissedProbesLimit}");
        Assert.True(options.DeathVoteExpirationTimeout >= probePeriod * options.NumMissedProbesLimit * 2);
    }

    [Fact]
    public void The_probe_timeout_and_missed_probes_come_from_the_environment()
    {
        var options = Membership(("PROBE_TIMEOUT_SECONDS", "5"), ("MISSED_PROBES_LIMIT", "4"));

        Assert.Equal(TimeSpan.FromSeconds(5), options.ProbeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.MinProbeTimeout);
        Assert.Equal(4, options.NumMissedProbesLimit);
    }

    [Theory]
    [InlineData("PROBE_TIMEOUT_SECONDS", "0.1", "MEILING_PROBE_TIMEOUT_SECONDS")]
    [InlineData("MISSED_PROBES_LIMIT", "1", "MEILING_MISSED_PROBES_LIMIT")]
    [InlineData("SHUTDOWN_TIMEOUT_SECONDS", "2", "MEILING_SHUTDOWN_TIMEOUT_SECONDS")]
    public void A_setting_out_of_range_fails_start_up_naming_its_variable(string key, string value, string named)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Bind((key, value)));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    // Validated like a real start, on top of whatever else a silo requires today.
    private static SiloSettings Bind(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["POSTGRES"] = "Host=127.0.0.1;Database=meiling",
            ["PHONE_HASH_KEY"] = TestSiloConfigurator.PhoneHashKey,
            ["MASTER_KEYS"] = TestSiloConfigurator.MasterKeys,
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return Settings.Bind<SiloSettings>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    // Only the membership keys matter here: bound without the validation of unrelated required settings.
    private static ClusterMembershipOptions Membership(params (string Key, string Value)[] settings)
    {
        var values = settings.ToDictionary(setting => setting.Key, setting => (string?)setting.Value);
        var siloSettings = new SiloSettings();
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().Bind(siloSettings);
        var silo = new ConfigurationOnlySiloBuilder();
        silo.UseLanMembership(siloSettings);
        return silo.Services.BuildServiceProvider().GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    // Enough of a silo builder to collect what UseLanMembership configures.
    private sealed class ConfigurationOnlySiloBuilder : ISiloBuilder
    {
        public IServiceCollection Services { get; } = new ServiceCollection();

        public IConfiguration Configuration { get; } = new ConfigurationBuilder().Build();
    }
}
