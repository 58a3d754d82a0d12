using MeiLing.ServiceDefaults;
using MeiLing.Silo;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace MeiLing.Tests.Hosting;

public sealed class SettingsValidationTests
{
    [Theory]
    [InlineData("SILO_PORT", "0", "MEILING_SILO_PORT")]
    [InlineData("GATEWAY_PORT", "70000", "MEILING_GATEWAY_PORT")]
    [InlineData("POSTGRES", "", "MEILING_POSTGRES")]
    [InlineData("POSTGRES", "this is not=a;valid;;connection", "MEILING_POSTGRES")]
    [InlineData("CLUSTER_ID", "has spaces", "MEILING_CLUSTER_ID")]
    [InlineData("ADVERTISED_IP", "not-an-ip", "MEILING_ADVERTISED_IP")]
    [InlineData("PHONE_HASH_KEY", "short", "MEILING_PHONE_HASH_KEY")]
    [InlineData("MASTER_KEYS", "k1:dG9vIHNob3J0", "MEILING_MASTER_KEYS")]
    public void A_bad_setting_fails_start_up_naming_its_variable(string key, string value, string named)
    {
        var configuration = SiloConfiguration((key, value));

        var error = Assert.Throws<InvalidOperationException>(() => Settings.Bind<SiloSettings>(configuration));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_equal_ports_are_refused()
    {
        var configuration = SiloConfiguration(("SILO_PORT", "30000"));

        var error = Assert.Throws<InvalidOperationException>(() => Settings.Bind<SiloSettings>(configuration));

        Assert.Contains("MEILING_GATEWAY_PORT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_the_one_command_run_ports()
    {
        var configuration = SiloConfiguration();

        var settings = Settings.Bind<SiloSettings>(configuration);

        Assert.Equal((11111, 30000, 8080), (settings.SiloPort, settings.GatewayPort, settings.DashboardPort));
    }

    [Theory]
    [InlineData("Production", false)]
    [InlineData("Sandbox", false)]
    [InlineData("Development", true)]
    public void P4_4_silos_deliver_webhooks_to_loopback_by_default_only_in_development(string environment, bool allowed)
    {
        var configuration = SiloConfiguration();

        var settings = Settings.Bind<SiloSettings>(configuration);

        Assert.Equal(allowed, settings.AllowsLoopbackWebhooks(new HostingEnvironment { EnvironmentName = environment }));
    }

    [Fact]
    public void P4_4_a_production_silo_refuses_to_start_with_loopback_webhooks_turned_on()
    {
        var error = ProductionSiloStartError(("WEBHOOK_ALLOW_LOOPBACK", "true"));

        Assert.Contains("MEILING_WEBHOOK_ALLOW_LOOPBACK", error, StringComparison.Ordinal);
    }

    // The sandbox WeChat Pay and Alipay confirm every charge through the API by themselves: in production any user would
    // pay any order by choosing wechat, and scripts/run set them whatever DOTNET_ENVIRONMENT said.
    [Fact]
    public void P1_6_a_production_silo_refuses_to_start_with_the_sandbox_payment_partners_that_confirm_every_charge()
    {
        var error = ProductionSiloStartError(
            ("PAYMENT_SANDBOX_CALLBACK", "http://127.0.0.1:5080"), ("PAYMENT_PARTNER_SECRETS", TestSiloConfigurator.PartnerSecrets));

        Assert.Contains("MEILING_PAYMENT_SANDBOX_CALLBACK", error, StringComparison.Ordinal);
    }

    // P4.4 (*reviewer*): the sandboxes were refused in an environment named Production only: a Staging silo holding real
    // users' data showed operators every code (a password reset's too) and confirmed every charge unpaid.
    [Theory]
    [InlineData("Staging", "SMS_SENDER", "sandbox", "MEILING_SMS_SENDER")]
    [InlineData("Staging", "PAYMENT_SANDBOX_CALLBACK", "http://127.0.0.1:5080", "MEILING_PAYMENT_SANDBOX_CALLBACK")]
    [InlineData("Live", "SMS_SENDER", "sandbox", "MEILING_SMS_SENDER")]
    // Loopback webhooks were refused in Production alone, and scripts/run turned them on everywhere else: a Staging silo
    // with real users delivered a merchant's URL to its own dashboard, health and gateway ports.
    [InlineData("Staging", "WEBHOOK_ALLOW_LOOPBACK", "true", "MEILING_WEBHOOK_ALLOW_LOOPBACK")]
    public void P4_4_a_silo_outside_development_and_sandbox_refuses_the_sandboxes(string environment, string key, string value, string named)
    {
        var error = SiloStartError(environment, (key, value), ("PAYMENT_PARTNER_SECRETS", TestSiloConfigurator.PartnerSecrets));

        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.Contains("Development or Sandbox", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RATE_LIMIT_PER_SECOND", "0", "MEILING_RATE_LIMIT_PER_SECOND")]
    [InlineData("RATE_LIMIT_PER_MERCHANT_PER_SECOND", "0", "MEILING_RATE_LIMIT_PER_MERCHANT_PER_SECOND")]
    [InlineData("RATE_LIMIT_ANONYMOUS_PER_SECOND", "-5", "MEILING_RATE_LIMIT_ANONYMOUS_PER_SECOND")]
    [InlineData("RATE_LIMIT_CREDENTIALS_PER_MINUTE", "0", "MEILING_RATE_LIMIT_CREDENTIALS_PER_MINUTE")]
    [InlineData("RATE_LIMIT_CREDENTIALS_PER_MINUTE_PER_NETWORK", "0", "MEILING_RATE_LIMIT_CREDENTIALS_PER_MINUTE_PER_NETWORK")]
    [InlineData("RATE_LIMIT_FAILED_AUTH_PER_MINUTE", "0", "MEILING_RATE_LIMIT_FAILED_AUTH_PER_MINUTE")]
    [InlineData("RECENT_SIGN_IN_MINUTES", "0", "MEILING_RECENT_SIGN_IN_MINUTES")]
    [InlineData("RECENT_SIGN_IN_MINUTES", "1441", "MEILING_RECENT_SIGN_IN_MINUTES")]
    [InlineData("JWT_KEY", "c2hvcnQga2V5", "MEILING_JWT_KEY")]
    [InlineData("JWT_KEY", "not base64 but long enough to pass a length check!!", "MEILING_JWT_KEY")]
    // P4.4, P1.3: trusting every network believed every caller's X-Forwarded-For, so a client picked a fresh address per
    // request past every per-address limit and wrote the address it liked into a user's activity log.
    [InlineData("TRUSTED_PROXIES", "0.0.0.0/0", "MEILING_TRUSTED_PROXIES")]
    [InlineData("TRUSTED_PROXIES", "::/0", "MEILING_TRUSTED_PROXIES")]
    [InlineData("TRUSTED_PROXIES", "10.0.0.5,0.0.0.0/1", "MEILING_TRUSTED_PROXIES")]
    [InlineData("TRUSTED_PROXIES", "10.0.0.0/7", "MEILING_TRUSTED_PROXIES")]
    [InlineData("TRUSTED_PROXIES", "2000::/3", "MEILING_TRUSTED_PROXIES")]
    // A dual-stack listener sees IPv4 callers as ::ffff:a.b.c.d, matched against IPv6 networks too: all of IPv4 again.
    [InlineData("TRUSTED_PROXIES", "::ffff:0.0.0.0/96", "MEILING_TRUSTED_PROXIES")]
    [InlineData("TRUSTED_PROXIES", "::/32", "MEILING_TRUSTED_PROXIES")]
    [InlineData("TRUSTED_PROXIES", "not-an-address", "MEILING_TRUSTED_PROXIES")]
    public void A_bad_api_setting_fails_start_up_naming_its_variable(string key, string value, string named)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["POSTGRES"] = "Host=127.0.0.1;Database=meiling",
            [key] = value,
        }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => Settings.Bind<MeiLing.Api.ApiSettings>(configuration));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    // The networks a real deployment's proxies sit in are still accepted: one address, a /8 of IPv4, a /32 of IPv6, a /104
    // of IPv4-mapped addresses, loopback.
    [Fact]
    public void P4_4_trusted_proxy_networks_up_to_a_v4_slash_8_or_a_v6_slash_32_are_accepted()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["POSTGRES"] = "Host=127.0.0.1;Database=meiling",
            ["TRUSTED_PROXIES"] = "10.0.0.5, 10.0.0.0/8, 2001:db8::/32, ::ffff:10.0.0.0/104, 127.0.0.1, ::1",
        }).Build();

        var settings = Settings.Bind<MeiLing.Api.ApiSettings>(configuration);

        Assert.Equal(6, settings.TrustedProxyNetworks.Count);
    }

    // The API host's own check of the same rule as the silos' (P4.4): loopback webhooks only in Development and Sandbox.
    [Theory]
    [InlineData("Staging")]
    [InlineData("Production")]
    public void P4_4_an_api_outside_development_and_sandbox_refuses_loopback_webhooks(string environment)
    {
        using var api = new WebApplicationFactory<MeiLing.Api.ApiAssemblyMarker>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment(environment);
            web.UseSetting("POSTGRES", "Host=127.0.0.1;Port=1;Database=meiling;Timeout=1");
            web.UseSetting("JWT_KEY", PlatformFixture.JwtKey);
            // No delivery partner's secret: a host that let loopback through fails at that next check, naming another
            // variable, rather than starting and waiting for a cluster for good.
            web.UseSetting("PAYMENT_PARTNER_SECRETS", "");
            web.UseSetting("WEBHOOK_ALLOW_LOOPBACK", "true");
        });

        var error = Assert.ThrowsAny<Exception>(() => api.Server).ToString();

        Assert.Contains("MEILING_WEBHOOK_ALLOW_LOOPBACK", error, StringComparison.Ordinal);
        Assert.Contains("Development or Sandbox", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Api_rate_limits_default_to_generous_per_caller_and_strict_per_address_for_credentials()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["POSTGRES"] = "Host=127.0.0.1;Database=meiling",
        }).Build();

        var settings = Settings.Bind<MeiLing.Api.ApiSettings>(configuration);

        Assert.Equal((5_000, 10_000, 1_000, 1_000, 60), (settings.RateLimitPerSecond, settings.RateLimitPerMerchantPerSecond, settings.RateLimitPerStaffKeyPerSecond, settings.RateLimitAnonymousPerSecond, settings.RateLimitCredentialsPerMinute));
    }

    [Fact]
    public void P4_4_closing_an_account_needs_a_sign_in_of_the_last_15_minutes_by_default()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["POSTGRES"] = "Host=127.0.0.1;Database=meiling",
        }).Build();

        Assert.Equal(15, Settings.Bind<MeiLing.Api.ApiSettings>(configuration).RecentSignInMinutes);
    }

    // P3.1: every fulfilled delivery hands the customer's address to the delivery partner; a production silo with no URL to
    // tell it at left every erasure and correction of those customers waiting on a notice that could never be sent.
    [Fact]
    public void P3_1_a_production_silo_refuses_to_start_without_a_notice_url_for_the_delivery_partner()
    {
        var error = ProductionSiloStartError(("PARTNER_NOTICE_URLS", ""));

        Assert.Contains("MEILING_PARTNER_NOTICE_URLS", error, StringComparison.Ordinal);
        Assert.Contains(TestSiloConfigurator.DeliveryPartner, error, StringComparison.Ordinal);
    }

    // Beside a valid URL for the delivery partner, so what refuses the start is the bad entry's own check.
    [Theory]
    [InlineData("meiling-delivery=https://delivery.example/notices,alipay=ftp://alipay.example/notices", "must be name=http(s)")]
    [InlineData("meiling-delivery=https://delivery.example/notices,alipay", "must be name=http(s)")]
    [InlineData("meiling-delivery=https://delivery.example/notices,alipay=https://alipay.example/notices", "alipay without a secret")]
    [InlineData("meiling-delivery=http://delivery.example/notices", "https")]
    public void P3_1_a_partner_notice_url_that_is_not_https_or_has_no_secret_to_sign_with_fails_start_up_naming_its_variable(string urls, string why)
    {
        var error = ProductionSiloStartError(("PARTNER_NOTICE_URLS", urls));

        Assert.Contains("MEILING_PARTNER_NOTICE_URLS", error, StringComparison.Ordinal);
        Assert.Contains(why, error, StringComparison.Ordinal);
    }

    // A silo in the Production environment with what every silo needs (the delivery partner's notice URL and secret too)
    // plus these settings: what its start-up threw.
    private static string ProductionSiloStartError(params (string Key, string Value)[] settings) =>
        SiloStartError(Environments.Production, settings);

    private static string SiloStartError(string environment, params (string Key, string Value)[] settings)
    {
        var ports = FreePorts.Take(3);
        using var silo = new WebApplicationFactory<SiloAssemblyMarker>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment(environment);
            web.UseSetting("POSTGRES", "Host=127.0.0.1;Port=1;Database=meiling;Timeout=1");
            web.UseSetting("PHONE_HASH_KEY", TestSiloConfigurator.PhoneHashKey);
            web.UseSetting("MASTER_KEYS", TestSiloConfigurator.MasterKeys);
            web.UseSetting("SILO_PORT", ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("GATEWAY_PORT", ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("DASHBOARD_PORT", ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("PARTNER_NOTICE_URLS", $"{TestSiloConfigurator.DeliveryPartner}=https://delivery.example/notices");
            web.UseSetting("PAYMENT_PARTNER_SECRETS", $"{TestSiloConfigurator.DeliveryPartner}={TestSiloConfigurator.PartnerSecretsByName[TestSiloConfigurator.DeliveryPartner]}");
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });

        return Assert.ThrowsAny<Exception>(() => silo.Server).ToString();
    }

    // P4.1, P3.1: how long a delivery to a merchant with no endpoint waits before it fails (no-endpoint) was a constant of
    // four days. It is the silo's setting now, an hour to 30 days (longer would outlive the retention window), four days unset.
    [Theory]
    [InlineData("0")]
    [InlineData("721")]
    [InlineData("-1")]
    public void P4_1_a_webhook_endpoint_wait_under_an_hour_or_over_30_days_fails_start_up_naming_its_variable(string hours)
    {
        var configuration = SiloConfiguration(("WEBHOOK_ENDPOINT_WAIT_HOURS", hours));

        var error = Assert.Throws<InvalidOperationException>(() => Settings.Bind<SiloSettings>(configuration));

        Assert.Contains("MEILING_WEBHOOK_ENDPOINT_WAIT_HOURS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void P4_1_a_webhook_endpoint_wait_is_four_days_unset_and_an_hour_to_30_days_when_set()
    {
        var unset = Settings.Bind<SiloSettings>(SiloConfiguration());
        var shortest = Settings.Bind<SiloSettings>(SiloConfiguration(("WEBHOOK_ENDPOINT_WAIT_HOURS", "1")));
        var longest = Settings.Bind<SiloSettings>(SiloConfiguration(("WEBHOOK_ENDPOINT_WAIT_HOURS", "720")));

        Assert.Equal(TimeSpan.FromDays(4), TimeSpan.FromHours(unset.WebhookEndpointWaitHours));
        Assert.Equal(TimeSpan.FromDays(4), new MeiLing.Grains.Privacy.PrivacySettings().WebhookEndpointWait);
        Assert.Equal(1, shortest.WebhookEndpointWaitHours);
        Assert.Equal(TimeSpan.FromDays(30), TimeSpan.FromHours(longest.WebhookEndpointWaitHours));
    }

    // What every silo needs to start, plus the settings a test is about.
    private static IConfiguration SiloConfiguration(params (string Key, string? Value)[] settings)
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

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
