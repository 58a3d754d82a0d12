using MeiLing.Api.Extensions;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Identity;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Staff;
using MeiLing.Silo.Extensions;
using MeiLing.Silo.Payments;
using MeiLing.Silo.Webhooks;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace MeiLing.Tests.Infrastructure;

/// <summary>
/// Gives each test silo the platform's real grains on PostgreSQL, with its cluster's <see cref="TestClock"/>
/// and reminders that tick in seconds rather than minutes.
/// </summary>
public sealed class TestSiloConfigurator : ISiloConfigurator
{
    public const string ConnectionStringKey = "MeiLingTests:Postgres";
    public const string ClockKey = "MeiLingTests:Clock";
    public const string RequestStartDelayKey = "MeiLingTests:RequestStartDelay";
    public const string RequestDrivePeriodKey = "MeiLingTests:RequestDrivePeriod";
    public const string CohostedKey = "MeiLingTests:Cohosted";
    public const string PhoneHashKey = "test-phone-hash-key-0123456789abcdef";
    public const string MasterKeys = "test1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    /// <summary>
    /// Each partner's own signing secret, as the API is told them: the sandbox partners', and that of
    /// <see cref="UnadaptedPartner"/>, a partner the silos have no adapter for.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> PartnerSecretsByName = new Dictionary<string, string>
    {
        ["wechat-pay"] = "whsec_dGVzdC13ZWNoYXQtcGF5LXNpZ25pbmcta2V5LTAxMjM0NTY3ODk=",
        ["alipay"] = "whsec_dGVzdC1hbGlwYXktc2lnbmluZy1rZXktMDEyMzQ1Njc4OWFiY2Q=",
        [UnadaptedPartner] = "whsec_dGVzdC11bmlvbnBheS1zaWduaW5nLWtleS0wMTIzNDU2Nzg5YWI=",
        [DeliveryPartner] = "whsec_dGVzdC1kZWxpdmVyeS1zaWduaW5nLWtleS0wMTIzNDU2Nzg5YWI=",
    };

    /// <summary>The delivery partner every fulfilled delivery is handed to.</summary>
    public const string DeliveryPartner = MeiLing.Grains.Orders.IOrderGrain.DeliveryPartner;

    /// <summary>A payment partner the API knows (it may sign calls) but no silo tells: its notices fail, and it confirms by calling in.</summary>
    public const string UnadaptedPartner = "unionpay";

    /// <summary>
    /// A support agent's daily filings and look-ups by phone in the test silos: below the platform's (100, 300), so a test
    /// reaches them in seconds, and above what any other test's agent does.
    /// </summary>
    public const int SupportFilingsPerDay = 12;

    /// <summary>A merchant's termination or transfer lists, tells and erases so many customers per call, so a test with a dozen sees batches.</summary>
    public const int CustomerBatchSize = 5;

    /// <inheritdoc cref="SupportFilingsPerDay"/>
    public const int SupportPhoneLookupsPerDay = 5;

    /// <inheritdoc cref="SupportFilingsPerDay"/>
    public const int SupportTicketsPerDay = 14;

    /// <summary>
    /// A support agent's audited calls a day in the test silos: below the platform's 5,000, so a test reaches them in
    /// seconds, and above what any other test's agent does (polling a request included).
    /// </summary>
    public const int SupportCallsPerDay = 1_000;

    /// <summary>
    /// Member codes one staff key, and one merchant's keys together, may have texted a day in the test silos: below the
    /// platform's 200 and 5,000, above the 6 one test's cashier asks for.
    /// </summary>
    public const int MemberCodesPerStaffPerDay = 8;

    /// <inheritdoc cref="MemberCodesPerStaffPerDay"/>
    public const int MemberCodesPerMerchantPerDay = 12;

    /// <summary>Stock adjustments one merchant may make a day in the test silos: more than any other test makes for one shop.</summary>
    public const int StockAdjustmentsPerMerchantPerDay = 20;

    /// <summary>Product edits one merchant may make a day in the test silos: more than any other test makes for one shop.</summary>
    public const int CatalogueEditsPerMerchantPerDay = 20;

    // Above the hundred concurrent top-ups one card test makes, and few enough for the quota test to spend.
    public const int TopUpsPerMerchantPerDay = 150;

    // Above the thousand walk-in sales one supermarket test places, and few enough for the quota test to spend.
    public const int WalkInSalesPerMerchantPerDay = 1_100;

    // Above the five hundred orders one test places for one user, and few enough for the quota test to spend.
    public const int UserOrdersPerMerchantPerDay = 1_100;

    // Above the two hundred messages one ticket test writes for one user, and few enough for the quota test to spend.
    public const int TicketMessagesPerUserPerDay = 250;

    /// <summary>A user's consent changes a day in the test silos: below the platform's 200, reached in two minutes of the test clock.</summary>
    public const int ConsentChangesPerDay = 100;

    /// <summary>A user's location samples a day in the test silos: reached in two minutes of the test clock.</summary>
    public const int LocationSamplesPerDay = 90;

    /// <summary>Of <see cref="SupportPhoneLookupsPerDay"/>, the ones that may find no user: fewer, so the two limits tell apart.</summary>
    public const int SupportPhoneLookupMissesPerDay = 3;

    /// <summary>
    /// The access export's part size and reads in the test silos: a part of 1,500 characters holds one or two orders, a
    /// read takes 3 rows (1 of the activity log) and 4 records are asked of their grains at once, so every export in the
    /// tests is many parts and many reads, and a user with a few of each has more than one part and one read holds.
    /// </summary>
    public const int ExportPartCharacters = 1_500;

    /// <inheritdoc cref="ExportPartCharacters"/>
    public const int ExportRowsPerRead = 3;

    /// <summary>
    /// Entries one page of the audit chain's walk reads in the test silos: far below the platform's 1,000, so every walk in the
    /// tests (each verification of the chain) reads many pages.
    /// </summary>
    public const int AuditVerifyPageSize = 16;

    /// <summary>
    /// How long a text may take the provider in the test silos before it is given up (the platform's is ten seconds): long
    /// enough for a held number's text let go as soon as its answer came (HeldTexts), short enough for a test to wait out.
    /// </summary>
    public static readonly TimeSpan SmsSendTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How often a ticket retries its place in support's queue in the test silos (the platform's is a minute).</summary>
    public static readonly TimeSpan TicketQueueRetryEvery = TimeSpan.FromSeconds(1);

    public static readonly string PartnerSecrets = string.Join(',', PartnerSecretsByName.Select(pair => $"{pair.Key}={pair.Value}"));

    public void Configure(ISiloBuilder siloBuilder)
    {
        var configuration = siloBuilder.Configuration;
        var connectionString = configuration[ConnectionStringKey]
            ?? throw new InvalidOperationException($"{ConnectionStringKey} is not configured.");
        var clock = TestClock.For(configuration[ClockKey] ?? "default");
        siloBuilder.Services.AddSingleton<TimeProvider>(clock);
        // Codes go to the sandbox outbox, where the tests read them as an operator would (GET /v1/sandbox/sms), unless a
        // test holds the number's texts (HeldTexts).
        siloBuilder.Services.AddSingleton<SandboxSmsSender>();
        siloBuilder.Services.AddSingleton<ISmsSender, HeldTexts.Sender>();
        siloBuilder.AddMeiLingGrains(connectionString);
        siloBuilder.Services.Configure<IdentitySettings>(identity => identity.SmsSendTimeout = SmsSendTimeout);
        HeldReminderReads.InstallIn(siloBuilder.Services);
        HeldAuditPages.InstallIn(siloBuilder, clock);
        siloBuilder.Services.Configure<MeiLing.Grains.Audit.AuditSettings>(audit => audit.VerifyPageSize = AuditVerifyPageSize);
        siloBuilder.Services.Configure<MeiLing.Grains.Tickets.SupportQueueSettings>(queue => queue.RetryEvery = TicketQueueRetryEvery);
        if (bool.TryParse(configuration[CohostedKey], out var cohosted) && cohosted)
        {
            // The co-hosted API's grain calls run through the silo, as in MEILING_TOPOLOGY=cohosted.
            siloBuilder.Services.AddApiGrainCallFilters();
            siloBuilder.Services.AddSingleton<IOutgoingGrainCallFilter, GrainCallCounter.InSilo>();
        }

        var fixtureId = configuration[ClockKey] ?? "default";
        siloBuilder.AddSandboxPaymentPartners(
            new Uri("http://localhost/"),
            PartnerSecretsByName,
            () => TestApiHandlers.For(fixtureId));
        siloBuilder.Services.Configure<PrivacySettings>(privacy =>
        {
            privacy.PhoneHashKey = PhoneHashKey;
            privacy.MasterKeys = MasterKeys;
            privacy.ConsentChangesPerDay = ConsentChangesPerDay;
            privacy.LocationSamplesPerDay = LocationSamplesPerDay;
            privacy.TicketMessagesPerUserPerDay = TicketMessagesPerUserPerDay;
        });
        siloBuilder.Services.Configure<StaffSettings>(staff =>
        {
            staff.SupportFilingsPerDay = SupportFilingsPerDay;
            staff.SupportPhoneLookupsPerDay = SupportPhoneLookupsPerDay;
            staff.SupportTicketsPerDay = SupportTicketsPerDay;
            staff.SupportPhoneLookupMissesPerDay = SupportPhoneLookupMissesPerDay;
            staff.SupportCallsPerDay = SupportCallsPerDay;
            staff.MemberCodesPerStaffPerDay = MemberCodesPerStaffPerDay;
            staff.MemberCodesPerMerchantPerDay = MemberCodesPerMerchantPerDay;
            staff.StockAdjustmentsPerMerchantPerDay = StockAdjustmentsPerMerchantPerDay;
            staff.CatalogueEditsPerMerchantPerDay = CatalogueEditsPerMerchantPerDay;
            staff.TopUpsPerMerchantPerDay = TopUpsPerMerchantPerDay;
            staff.WalkInSalesPerMerchantPerDay = WalkInSalesPerMerchantPerDay;
            staff.UserOrdersPerMerchantPerDay = UserOrdersPerMerchantPerDay;
        });
        // Webhook retries in fractions of a second rather than minutes and days, so tests see the fourth attempt soon;
        // the tests' receivers listen on loopback, which a silo refuses unless told.
        siloBuilder.Services.Configure<WebhookDeliverySettings>(webhooks =>
        {
            webhooks.AllowLoopback = true;
            webhooks.PollInterval = TimeSpan.FromMilliseconds(200);
            webhooks.AttemptTimeout = TimeSpan.FromSeconds(5);
            webhooks.RetryDelays = [.. Enumerable.Repeat(TimeSpan.FromMilliseconds(300), 8)];
        });
        // Transfers hand over two users per reminder tick, so a test with three sees batches follow each other.
        siloBuilder.Services.Configure<MeiLing.Grains.Transfers.TransferSettings>(transfers =>
        {
            transfers.HandOverBatchSize = 2;
            transfers.NoticeBatchSize = CustomerBatchSize;
        });
        // Its next batch 2 s later: long enough for a test to count what one call did before the reminder does more.
        siloBuilder.Services.Configure<MeiLing.Grains.Merchants.TerminationSettings>(termination =>
        {
            termination.BatchSize = CustomerBatchSize;
            termination.NextBatchAfter = TimeSpan.FromSeconds(2);
        });
        siloBuilder.Services.Configure<ExportSettings>(export =>
        {
            export.PartCharacters = ExportPartCharacters;
            export.RowsPerRead = ExportRowsPerRead;
            export.ActivityRowsPerRead = 1;
            export.CallsInFlight = 4;
        });
        siloBuilder.Services.Configure<ReminderOptions>(reminders => reminders.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        siloBuilder.Services.Configure<DataRightsSettings>(rights =>
        {
            rights.DrivePeriod = TimeSpan.Parse(configuration[RequestDrivePeriodKey] ?? "00:00:02", System.Globalization.CultureInfo.InvariantCulture);
            rights.StartDelay = TimeSpan.Parse(configuration[RequestStartDelayKey] ?? "00:00:01", System.Globalization.CultureInfo.InvariantCulture);
        });
    }
}
