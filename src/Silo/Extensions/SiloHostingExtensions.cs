using System.Net;
using MeiLing.Api.Extensions;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Identity;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Staff;
using MeiLing.ServiceDefaults;
using MeiLing.Silo.Health;
using MeiLing.Silo.Payments;
using MeiLing.Silo.DataRights;
using MeiLing.Silo.Schema;
using MeiLing.Silo.Security;
using MeiLing.Silo.Webhooks;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace MeiLing.Silo.Extensions;

/// <summary>Everything the silo process registers, so Program.cs reads as a table of contents.</summary>
public static class SiloHostingExtensions
{
    /// <summary>The host environment of scripts/run: sandbox SMS and payment partners, no real users.</summary>
    public const string SandboxEnvironment = "Sandbox";

    public static WebApplicationBuilder AddMeiLingSilo(this WebApplicationBuilder builder)
    {
        var settings = builder.AddMeiLingSettings<SiloSettings>();
        // The sandboxes run only where nobody's real data is: Development and Sandbox (scripts/run), by name. Refused in
        // Production alone (*reviewer*), they ran in a Staging holding real users' data as readily.
        var sandboxed = builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment(SandboxEnvironment);
        if (settings.SmsSender == SandboxSmsSender.SenderName && !sandboxed)
        {
            // The sandbox shows every code to operators: with real users it would let staff register anyone's number and
            // reset anyone's password.
            throw new InvalidOperationException(
                $"MEILING_SMS_SENDER=sandbox is refused in the {builder.Environment.EnvironmentName} environment: configure a real SMS provider (or MEILING_SMS_SENDER=none, which texts nothing), or run with DOTNET_ENVIRONMENT set to Development or Sandbox (scripts/run uses Sandbox).");
        }

        if (!string.IsNullOrWhiteSpace(settings.PaymentSandboxCallback) && !sandboxed)
        {
            // P1.6: the sandbox partners confirm every WeChat Pay and Alipay charge by themselves, no money moved: with real
            // users every order (and every walk-in sale) would be paid by saying so.
            throw new InvalidOperationException(
                $"MEILING_PAYMENT_SANDBOX_CALLBACK is refused in the {builder.Environment.EnvironmentName} environment: its partners confirm every charge without taking any money. Register real payment partners, or run with DOTNET_ENVIRONMENT set to Development or Sandbox (scripts/run uses Sandbox).");
        }

        // Where real users are (anywhere but Development and Sandbox, whose sandbox partners take the delivery partner's
        // notices), the delivery partner is told at a URL of its own.
        if (!sandboxed && !settings.PartnerNotices.Has(MeiLing.Grains.Orders.IOrderGrain.DeliveryPartner))
        {
            // P3.1: every fulfilled delivery hands the customer's address to the delivery partner; without a URL to tell it
            // at, each erasure or correction of such a customer would wait on a notice that can never be sent.
            throw new InvalidOperationException(
                $"MEILING_PARTNER_NOTICE_URLS must name {MeiLing.Grains.Orders.IOrderGrain.DeliveryPartner} in the {builder.Environment.EnvironmentName} environment (with its secret in MEILING_PAYMENT_PARTNER_SECRETS): it receives every fulfilled delivery and must hear of its customers' erasures and corrections.");
        }

        if (!sandboxed && settings.PartnerNoticeUrls.Any(pair => pair.Value.Scheme != Uri.UriSchemeHttps))
        {
            // A notice names the user and their orders: outside the machine it travels encrypted.
            throw new InvalidOperationException(
                $"MEILING_PARTNER_NOTICE_URLS must be https URLs in the {builder.Environment.EnvironmentName} environment: a notice names the user and their orders.");
        }

        var siloName = string.IsNullOrEmpty(settings.SiloName) ? $"silo-{settings.SiloPort}" : settings.SiloName;
        builder.AddMeiLingTelemetry("meiling-silo", siloName);

        builder.WebHost.UseUrls($"http://{FormatHost(settings.HttpListenIp)}:{settings.DashboardPort}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        // SIGTERM drains within this budget: Orleans tells clients, finishes and deactivates grains, and
        // marks this silo dead in the table.
        builder.Host.ConfigureHostOptions(options => options.ShutdownTimeout = TimeSpan.FromSeconds(settings.ShutdownTimeoutSeconds));

        if (settings.IsCohosted)
        {
            // The co-hosted API's host answers the process's signals and stops this one after itself.
            builder.Services.AddSingleton<IHostLifetime, LifetimeOwnedByApi>();
        }

        // Registered before Orleans: the schema must exist before membership starts.
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddHostedService<SchemaMigrationService>();
        // P4.1, P4.4: right after the schema, before Orleans serves and before MasterKeyRotationService re-wraps anything:
        // a silo whose master keys or phone-hash key differ from those the cluster's data was written with refuses to start.
        builder.Services.AddSingleton<PlatformKeyCheckService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PlatformKeyCheckService>());

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = settings.ClusterId;
                options.ServiceId = settings.ServiceId;
            });
            silo.Configure<SiloOptions>(options => options.SiloName = siloName);
            silo.ConfigureEndpoints(
                IPAddress.Parse(settings.AdvertisedIp),
                settings.SiloPort,
                settings.GatewayPort,
                listenOnAnyHostAddress: false);
            silo.UseAdoNetClustering(options =>
            {
                options.Invariant = GrainStorageExtensions.Invariant;
                options.ConnectionString = settings.Postgres;
            });
            silo.UseLanMembership(settings);
            silo.AddMeiLingGrains(settings.Postgres);
            if (settings.IsCohosted)
            {
                // The API in this process makes its grain calls through this silo.
                silo.Services.AddApiGrainCallFilters();
            }

            // Before the sandbox partners: a partner with a notice URL is told there, signed, whatever else runs.
            silo.AddPartnerNotices(settings.PartnerNotices);
            if (!string.IsNullOrWhiteSpace(settings.PaymentSandboxCallback))
            {
                silo.AddSandboxPaymentPartners(new Uri(settings.PaymentSandboxCallback), settings.PartnerSecrets);
            }

            // The live log stream would show every silo log line to whoever opens the dashboard.
            silo.AddDashboard(dashboard => dashboard.HideTrace = true);
            if (TelemetryExtensions.IsExported(builder.Configuration))
            {
                // Carries the caller's trace into each grain call, so a request's spans form one trace.
                silo.AddActivityPropagation();
            }
        });

        builder.Services.Configure<PrivacySettings>(privacy =>
        {
            privacy.PhoneHashKey = settings.PhoneHashKey;
            privacy.MasterKeys = settings.MasterKeyText();
            privacy.LocationRetention = TimeSpan.FromDays(settings.LocationRetentionDays);
            privacy.ActivityRetention = TimeSpan.FromDays(settings.ActivityRetentionDays);
            privacy.WebhookRetention = TimeSpan.FromDays(settings.WebhookRetentionDays);
            privacy.WebhookEndpointWait = TimeSpan.FromHours(settings.WebhookEndpointWaitHours);
            privacy.ConsentChangesPerMinute = settings.ConsentChangesPerMinute;
            privacy.ConsentChangesPerDay = settings.ConsentChangesPerDay;
            privacy.LocationSamplesPerMinute = settings.LocationSamplesPerMinute;
            privacy.LocationSamplesPerDay = settings.LocationSamplesPerDay;
            privacy.MerchantOrdersPerUserPerDay = settings.MerchantOrdersPerUserPerDay;
            privacy.TicketMessagesPerUserPerDay = settings.TicketMessagesPerUserPerDay;
        });

        builder.Services.Configure<StaffSettings>(staff =>
        {
            staff.CashierTopUpsPerDayFen = settings.CashierTopUpsPerDayFen;
            staff.SupportFilingsPerDay = settings.SupportFilingsPerDay;
            staff.SupportPhoneLookupsPerDay = settings.SupportPhoneLookupsPerDay;
            staff.SupportTicketsPerDay = settings.SupportTicketsPerDay;
            staff.SupportPhoneLookupMissesPerDay = settings.SupportPhoneLookupMissesPerDay;
            staff.SupportCallsPerDay = settings.SupportCallsPerDay;
            staff.MemberCodesPerStaffPerDay = settings.MemberCodesPerStaffPerDay;
            staff.MemberCodesPerMerchantPerDay = settings.MemberCodesPerMerchantPerDay;
            staff.StockAdjustmentsPerMerchantPerDay = settings.StockAdjustmentsPerMerchantPerDay;
            staff.CatalogueEditsPerMerchantPerDay = settings.CatalogueEditsPerMerchantPerDay;
            staff.TopUpsPerMerchantPerDay = settings.TopUpsPerMerchantPerDay;
            staff.WalkInSalesPerMerchantPerDay = settings.WalkInSalesPerMerchantPerDay;
            staff.UserOrdersPerMerchantPerDay = settings.UserOrdersPerMerchantPerDay;
        });

        if (settings.SmsSender == SandboxSmsSender.SenderName)
        {
            builder.Services.AddSingleton<ISmsSender, SandboxSmsSender>();
        }

        builder.Services.Configure<IdentitySettings>(identity =>
        {
            identity.PhoneVerification = settings.PhoneVerification == "on";
            identity.GuardianConfirmWithin = TimeSpan.FromDays(settings.GuardianConfirmDays);
        });

        builder.Services.Configure<DataRightsSettings>(rights =>
        {
            rights.DrivePeriod = TimeSpan.FromSeconds(settings.RequestDriveSeconds);
            rights.ConfirmWithin = TimeSpan.FromDays(settings.ConfirmationDays);
        });
        var environment = builder.Environment;
        builder.Services.AddOptions<Webhooks.WebhookDeliverySettings>()
            .Configure(webhooks =>
            {
                webhooks.AttemptTimeout = TimeSpan.FromSeconds(settings.WebhookTimeoutSeconds);
                webhooks.PollInterval = TimeSpan.FromSeconds(settings.WebhookPollSeconds);
                webhooks.AllowLoopback = settings.AllowsLoopbackWebhooks(environment);
            })
            // P4.4: where real users are, loopback is the silo's own dashboard, health and gateway ports, never a merchant's:
            // allowed only where the sandboxes are (*reviewer*: refused in Production alone, a Staging with real users let a
            // merchant probe them).
            .Validate(webhooks => !webhooks.AllowLoopback || sandboxed,
                $"MEILING_WEBHOOK_ALLOW_LOOPBACK=true is refused in the {environment.EnvironmentName} environment: a merchant's URL would reach the silo's own services. Leave it unset, or run with DOTNET_ENVIRONMENT set to Development or Sandbox (scripts/run uses Sandbox).")
            .ValidateOnStart();

        builder.Services.AddHostedService<MasterKeyRotationService>();
        builder.Services.AddHostedService<OrderIndexPseudonymService>();
        builder.Services.AddHostedService<LegacyUserStateImportService>();
        builder.Services.AddSingleton<OpenRequestSweep>();
        builder.Services.AddHostedService<OpenRequestSweepService>();

        builder.Services.AddHealthChecks()
            .AddCheck<SiloActiveHealthCheck>("silo", tags: [HostingExtensions.ReadyTag]);

        // Polly reports every placement retry at Information; only its warnings matter here.
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.Logging.KeepRequestLinesOff();
        return builder;
    }

    public static WebApplication MapMeiLingSilo(this WebApplication app)
    {
        app.UseOperatorOnlySurfaces(app.Services.GetRequiredService<SiloSettings>());
        app.MapHealthEndpoints();
        app.MapMemoryEndpoint();
        app.MapOrleansDashboard(routePrefix: "/dashboard");
        app.MapGet("/", () => Results.Redirect("/dashboard/")).ExcludeFromDescription();
        return app;
    }

    internal static string FormatHost(string ip) =>
        IPAddress.Parse(ip).AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip;
}
