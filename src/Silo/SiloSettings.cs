using System.ComponentModel.DataAnnotations;
using System.Net;
using MeiLing.ServiceDefaults;
using MeiLing.Silo.Payments;
using Microsoft.Extensions.Configuration;

namespace MeiLing.Silo;

/// <summary>A silo's own settings, over the <see cref="ClusterSettings"/> every process shares.</summary>
public sealed class SiloSettings : ClusterSettings
{
    /// <summary>Port for silo-to-silo traffic (<c>MEILING_SILO_PORT</c>).</summary>
    [ConfigurationKeyName("SILO_PORT")]
    [Range(1, 65535, ErrorMessage = "MEILING_SILO_PORT must be a TCP port (1-65535).")]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients such as the API connect to (<c>MEILING_GATEWAY_PORT</c>).</summary>
    [ConfigurationKeyName("GATEWAY_PORT")]
    [Range(1, 65535, ErrorMessage = "MEILING_GATEWAY_PORT must be a TCP port (1-65535).")]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The silo's HTTP port: dashboard at /dashboard/, health at /health/* (<c>MEILING_DASHBOARD_PORT</c>).</summary>
    [ConfigurationKeyName("DASHBOARD_PORT")]
    [Range(1, 65535, ErrorMessage = "MEILING_DASHBOARD_PORT must be a TCP port (1-65535).")]
    public int DashboardPort { get; set; } = 8080;

    /// <summary>The co-hosted API's port, on the HTTP listen address (<c>MEILING_API_PORT</c>; only with <c>MEILING_TOPOLOGY=cohosted</c>).</summary>
    [ConfigurationKeyName("API_PORT")]
    [Range(1, 65535, ErrorMessage = "MEILING_API_PORT must be a TCP port (1-65535).")]
    public int ApiPort { get; set; } = 5080;

    /// <summary>The address other silos and clients reach this silo at (<c>MEILING_ADVERTISED_IP</c>).</summary>
    [ConfigurationKeyName("ADVERTISED_IP")]
    public string AdvertisedIp { get; set; } = "127.0.0.1";

    /// <summary>The address the dashboard and health endpoints listen on (<c>MEILING_HTTP_LISTEN_IP</c>).</summary>
    [ConfigurationKeyName("HTTP_LISTEN_IP")]
    public string HttpListenIp { get; set; } = "127.0.0.1";

    /// <summary>A name for this silo in the dashboard and membership table (<c>MEILING_SILO_NAME</c>).</summary>
    [ConfigurationKeyName("SILO_NAME")]
    [RegularExpression("^[A-Za-z0-9._-]{0,100}$", ErrorMessage = "MEILING_SILO_NAME must be up to 100 letters, digits, '.', '_' or '-'.")]
    public string? SiloName { get; set; }

    /// <summary>
    /// The operator key (<c>MEILING_OPERATOR_KEY</c>, the same as the API's): opens the dashboard and
    /// <c>/health/memory</c>; without it they stay closed. Only its hash is kept.
    /// </summary>
    [ConfigurationKeyName("OPERATOR_KEY")]
    [MinLength(16, ErrorMessage = "MEILING_OPERATOR_KEY must be at least 16 characters.")]
    public string? OperatorKey { get; set; }

    /// <summary>Secret key of the phone index's keyed hash, the same on every silo for the life of the data (<c>MEILING_PHONE_HASH_KEY</c>).</summary>
    [ConfigurationKeyName("PHONE_HASH_KEY")]
    [Required(ErrorMessage = "MEILING_PHONE_HASH_KEY is required: a secret of at least 32 characters, the same on every silo.")]
    [MinLength(32, ErrorMessage = "MEILING_PHONE_HASH_KEY must be at least 32 characters.")]
    public string PhoneHashKey { get; set; } = "";

    /// <summary>
    /// The master keys that wrap users' data keys, <c>id:base64key[,id:base64key…]</c> with 32-byte keys,
    /// the first current (<c>MEILING_MASTER_KEYS</c>); or <c>MEILING_MASTER_KEYS_FILE</c>, a file holding the same.
    /// </summary>
    [ConfigurationKeyName("MASTER_KEYS")]
    public string? MasterKeys { get; set; }

    [ConfigurationKeyName("MASTER_KEYS_FILE")]
    public string? MasterKeysFile { get; set; }

    /// <summary>The master key ring text, from the variable or the file.</summary>
    public string MasterKeyText() =>
        !string.IsNullOrWhiteSpace(MasterKeys) ? MasterKeys
        : !string.IsNullOrWhiteSpace(MasterKeysFile) && File.Exists(MasterKeysFile) ? File.ReadAllText(MasterKeysFile).Trim()
        : "";

    /// <summary>Days location samples are kept (<c>MEILING_LOCATION_RETENTION_DAYS</c>, P1.2).</summary>
    [ConfigurationKeyName("LOCATION_RETENTION_DAYS")]
    [Range(1, 3650, ErrorMessage = "MEILING_LOCATION_RETENTION_DAYS must be 1-3650.")]
    public int LocationRetentionDays { get; set; } = 30;

    /// <summary>Days a delivered (or finally failed) webhook stays in the outbox (<c>MEILING_WEBHOOK_RETENTION_DAYS</c>).</summary>
    [ConfigurationKeyName("WEBHOOK_RETENTION_DAYS")]
    [Range(1, 3650, ErrorMessage = "MEILING_WEBHOOK_RETENTION_DAYS must be 1-3650.")]
    public int WebhookRetentionDays { get; set; } = 30;

    /// <summary>
    /// Hours a webhook delivery to a merchant with no endpoint waits, past when it was due, for one to be registered before
    /// it fails with <c>no-endpoint</c> (<c>MEILING_WEBHOOK_ENDPOINT_WAIT_HOURS</c>, P4.1, P3.1): 96, as long as its
    /// retries would have lasted; at least an hour (a merchant moving its receiver), at most 30 days (the retention window).
    /// </summary>
    [ConfigurationKeyName("WEBHOOK_ENDPOINT_WAIT_HOURS")]
    [Range(1, 720, ErrorMessage = "MEILING_WEBHOOK_ENDPOINT_WAIT_HOURS must be 1-720 (an hour to 30 days).")]
    public int WebhookEndpointWaitHours { get; set; } = 96;

    /// <summary>Days activity log entries are kept (<c>MEILING_ACTIVITY_RETENTION_DAYS</c>, P1.3).</summary>
    [ConfigurationKeyName("ACTIVITY_RETENTION_DAYS")]
    [Range(1, 3650, ErrorMessage = "MEILING_ACTIVITY_RETENTION_DAYS must be 1-3650.")]
    public int ActivityRetentionDays { get; set; } = 180;

    /// <summary>Consent changes one user may make per minute (<c>MEILING_CONSENT_CHANGES_PER_MINUTE</c>, P4.4).</summary>
    [ConfigurationKeyName("CONSENT_CHANGES_PER_MINUTE")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_CONSENT_CHANGES_PER_MINUTE must be 1-1000000.")]
    public int ConsentChangesPerMinute { get; set; } = 60;

    /// <summary>Consent changes one user may make per day (<c>MEILING_CONSENT_CHANGES_PER_DAY</c>, P4.4): each is a receipt kept for good.</summary>
    [ConfigurationKeyName("CONSENT_CHANGES_PER_DAY")]
    [Range(1, 1_000_000_000, ErrorMessage = "MEILING_CONSENT_CHANGES_PER_DAY must be 1-1000000000.")]
    public int ConsentChangesPerDay { get; set; } = 200;

    /// <summary>Location samples one user may send per minute (<c>MEILING_LOCATION_SAMPLES_PER_MINUTE</c>, P4.4).</summary>
    [ConfigurationKeyName("LOCATION_SAMPLES_PER_MINUTE")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_LOCATION_SAMPLES_PER_MINUTE must be 1-1000000.")]
    public int LocationSamplesPerMinute { get; set; } = 60;

    /// <summary>Location samples one user may send per day (<c>MEILING_LOCATION_SAMPLES_PER_DAY</c>, P4.4): each is a row kept for the retention period.</summary>
    [ConfigurationKeyName("LOCATION_SAMPLES_PER_DAY")]
    [Range(1, 1_000_000_000, ErrorMessage = "MEILING_LOCATION_SAMPLES_PER_DAY must be 1-1000000000.")]
    public int LocationSamplesPerDay { get; set; } = 2_880;

    /// <summary>Orders one merchant may place for one user per day (<c>MEILING_MERCHANT_ORDERS_PER_USER_PER_DAY</c>, P4.4).</summary>
    [ConfigurationKeyName("MERCHANT_ORDERS_PER_USER_PER_DAY")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_MERCHANT_ORDERS_PER_USER_PER_DAY must be 1-1000000.")]
    public int MerchantOrdersPerUserPerDay { get; set; } = 500;

    /// <summary>
    /// Fen one cashier may put on member cards a day unless their merchant set their own limit
    /// (<c>MEILING_CASHIER_TOP_UPS_PER_DAY_FEN</c>, P1.6; 0: cashiers top up nothing by default).
    /// </summary>
    [ConfigurationKeyName("CASHIER_TOP_UPS_PER_DAY_FEN")]
    [Range(0, 1_000_000_000, ErrorMessage = "MEILING_CASHIER_TOP_UPS_PER_DAY_FEN must be 0-1000000000.")]
    public long CashierTopUpsPerDayFen { get; set; } = 1_000_000;

    /// <summary>Data-rights requests one support agent may file a day, for all users together (<c>MEILING_SUPPORT_FILINGS_PER_DAY</c>, P1.7, P4.4).</summary>
    [ConfigurationKeyName("SUPPORT_FILINGS_PER_DAY")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_SUPPORT_FILINGS_PER_DAY must be 1-1000000.")]
    public int SupportFilingsPerDay { get; set; } = 100;

    /// <summary>Tickets one support agent may open a day, for all users together (<c>MEILING_SUPPORT_TICKETS_PER_DAY</c>, P1.7, P4.4).</summary>
    [ConfigurationKeyName("SUPPORT_TICKETS_PER_DAY")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_SUPPORT_TICKETS_PER_DAY must be 1-1000000.")]
    public int SupportTicketsPerDay { get; set; } = 100;

    /// <summary>Look-ups of a user by mobile number one support agent may make a day (<c>MEILING_SUPPORT_PHONE_LOOKUPS_PER_DAY</c>, P1.7, P4.4).</summary>
    [ConfigurationKeyName("SUPPORT_PHONE_LOOKUPS_PER_DAY")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_SUPPORT_PHONE_LOOKUPS_PER_DAY must be 1-1000000.")]
    public int SupportPhoneLookupsPerDay { get; set; } = 300;

    /// <summary>
    /// Of those, the look-ups that may find no user a day, past which the agent's look-ups are refused, found or not
    /// (<c>MEILING_SUPPORT_PHONE_LOOKUP_MISSES_PER_DAY</c>, P1.7): guessing a masked number's hidden digits misses.
    /// </summary>
    [ConfigurationKeyName("SUPPORT_PHONE_LOOKUP_MISSES_PER_DAY")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_SUPPORT_PHONE_LOOKUP_MISSES_PER_DAY must be 1-1000000.")]
    public int SupportPhoneLookupMissesPerDay { get; set; } = 30;

    /// <summary>Audited calls one support agent may make a day, key and console session together (<c>MEILING_SUPPORT_CALLS_PER_DAY</c>, P1.7, P4.4).</summary>
    [ConfigurationKeyName("SUPPORT_CALLS_PER_DAY")]
    [Range(1, 100_000_000, ErrorMessage = "MEILING_SUPPORT_CALLS_PER_DAY must be 1-100000000.")]
    public int SupportCallsPerDay { get; set; } = 5_000;

    /// <summary>Member codes one manager's or cashier's key may have texted a day (<c>MEILING_MEMBER_CODES_PER_STAFF_PER_DAY</c>, P1.6, P4.4).</summary>
    [ConfigurationKeyName("MEMBER_CODES_PER_STAFF_PER_DAY")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_MEMBER_CODES_PER_STAFF_PER_DAY must be 1-1000000.")]
    public int MemberCodesPerStaffPerDay { get; set; } = 200;

    /// <summary>Member codes one merchant's keys together may have texted a day (<c>MEILING_MEMBER_CODES_PER_MERCHANT_PER_DAY</c>, P1.6, P4.4).</summary>
    [ConfigurationKeyName("MEMBER_CODES_PER_MERCHANT_PER_DAY")]
    [Range(1, 10_000_000, ErrorMessage = "MEILING_MEMBER_CODES_PER_MERCHANT_PER_DAY must be 1-10000000.")]
    public int MemberCodesPerMerchantPerDay { get; set; } = 5_000;

    /// <summary>Stock adjustments one merchant's keys together may make a day (<c>MEILING_STOCK_ADJUSTMENTS_PER_MERCHANT_PER_DAY</c>, P4.4).</summary>
    [ConfigurationKeyName("STOCK_ADJUSTMENTS_PER_MERCHANT_PER_DAY")]
    [Range(1, 10_000_000, ErrorMessage = "MEILING_STOCK_ADJUSTMENTS_PER_MERCHANT_PER_DAY must be 1-10000000.")]
    public int StockAdjustmentsPerMerchantPerDay { get; set; } = 10_000;

    /// <summary>Product edits one merchant's keys together may make a day (<c>MEILING_CATALOGUE_EDITS_PER_MERCHANT_PER_DAY</c>, P4.4).</summary>
    [ConfigurationKeyName("CATALOGUE_EDITS_PER_MERCHANT_PER_DAY")]
    [Range(1, 10_000_000, ErrorMessage = "MEILING_CATALOGUE_EDITS_PER_MERCHANT_PER_DAY must be 1-10000000.")]
    public int CatalogueEditsPerMerchantPerDay { get; set; } = 2_000;

    /// <summary>Member-card top-ups one merchant's keys together may take a day (<c>MEILING_TOP_UPS_PER_MERCHANT_PER_DAY</c>, P4.4).</summary>
    [ConfigurationKeyName("TOP_UPS_PER_MERCHANT_PER_DAY")]
    [Range(1, 10_000_000, ErrorMessage = "MEILING_TOP_UPS_PER_MERCHANT_PER_DAY must be 1-10000000.")]
    public int TopUpsPerMerchantPerDay { get; set; } = 50_000;

    /// <summary>Walk-in sales one merchant's keys together may place a day (<c>MEILING_WALK_IN_SALES_PER_MERCHANT_PER_DAY</c>, P4.4).</summary>
    [ConfigurationKeyName("WALK_IN_SALES_PER_MERCHANT_PER_DAY")]
    [Range(1, 100_000_000, ErrorMessage = "MEILING_WALK_IN_SALES_PER_MERCHANT_PER_DAY must be 1-100000000.")]
    public int WalkInSalesPerMerchantPerDay { get; set; } = 100_000;

    /// <summary>Orders naming a user one merchant's keys together may place a day (<c>MEILING_USER_ORDERS_PER_MERCHANT_PER_DAY</c>, P4.4).</summary>
    [ConfigurationKeyName("USER_ORDERS_PER_MERCHANT_PER_DAY")]
    [Range(1, 100_000_000, ErrorMessage = "MEILING_USER_ORDERS_PER_MERCHANT_PER_DAY must be 1-100000000.")]
    public int UserOrdersPerMerchantPerDay { get; set; } = 100_000;

    /// <summary>Ticket messages one user may write a day (<c>MEILING_TICKET_MESSAGES_PER_USER_PER_DAY</c>, P4.4).</summary>
    [ConfigurationKeyName("TICKET_MESSAGES_PER_USER_PER_DAY")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_TICKET_MESSAGES_PER_USER_PER_DAY must be 1-1000000.")]
    public int TicketMessagesPerUserPerDay { get; set; } = 200;

    /// <summary>Seconds between reminder ticks of an unfinished data-rights request (<c>MEILING_REQUEST_DRIVE_SECONDS</c>, P8.1).</summary>
    [ConfigurationKeyName("REQUEST_DRIVE_SECONDS")]
    [Range(60, 3600, ErrorMessage = "MEILING_REQUEST_DRIVE_SECONDS must be 60-3600 (Orleans reminders tick at most once a minute).")]
    public int RequestDriveSeconds { get; set; } = 60;

    /// <summary>How long one webhook delivery attempt may take before it counts as failed (<c>MEILING_WEBHOOK_TIMEOUT_SECONDS</c>).</summary>
    [ConfigurationKeyName("WEBHOOK_TIMEOUT_SECONDS")]
    [Range(1, 60, ErrorMessage = "MEILING_WEBHOOK_TIMEOUT_SECONDS must be 1-60.")]
    public int WebhookTimeoutSeconds { get; set; } = 10;

    /// <summary>How often each silo looks in the outbox for due deliveries (<c>MEILING_WEBHOOK_POLL_SECONDS</c>).</summary>
    [ConfigurationKeyName("WEBHOOK_POLL_SECONDS")]
    [Range(0.1, 60, ErrorMessage = "MEILING_WEBHOOK_POLL_SECONDS must be 0.1-60.")]
    public double WebhookPollSeconds { get; set; } = 2;

    /// <summary>
    /// How long a membership probe may take before it counts as missed (<c>MEILING_PROBE_TIMEOUT_SECONDS</c>).
    /// On loopback or a LAN the probe period settles at about half of it; a silo is suspected after
    /// <see cref="MissedProbesLimit"/> misses in a row, so detection takes about limit x timeout / 2 plus a vote.
    /// </summary>
    [ConfigurationKeyName("PROBE_TIMEOUT_SECONDS")]
    [Range(0.5, 60, ErrorMessage = "MEILING_PROBE_TIMEOUT_SECONDS must be 0.5-60.")]
    public double ProbeTimeoutSeconds { get; set; } = 2;

    /// <summary>Missed probes in a row before this silo votes another dead (<c>MEILING_MISSED_PROBES_LIMIT</c>).</summary>
    [ConfigurationKeyName("MISSED_PROBES_LIMIT")]
    [Range(2, 10, ErrorMessage = "MEILING_MISSED_PROBES_LIMIT must be 2-10.")]
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>
    /// How long SIGTERM may take: finishing requests, deactivating grains, leaving the membership table
    /// (<c>MEILING_SHUTDOWN_TIMEOUT_SECONDS</c>). Whatever orchestrates the silo must wait longer before SIGKILL.
    /// </summary>
    [ConfigurationKeyName("SHUTDOWN_TIMEOUT_SECONDS")]
    [Range(5, 600, ErrorMessage = "MEILING_SHUTDOWN_TIMEOUT_SECONDS must be 5-600.")]
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Where the sandbox payment partners send their confirmations: the API's base URL
    /// (<c>MEILING_PAYMENT_SANDBOX_CALLBACK</c>). Set, the silo charges WeChat Pay and Alipay payments through
    /// sandbox partners that confirm by themselves; unset (the default, and production), it registers none.
    /// </summary>
    [ConfigurationKeyName("PAYMENT_SANDBOX_CALLBACK")]
    public string? PaymentSandboxCallback { get; set; }

    /// <summary>
    /// Where each partner outside the platform is told of data-rights events about users whose data it received
    /// (<c>MEILING_PARTNER_NOTICE_URLS</c>, <c>name=https://…[,name=https://…]</c>, P3.1): a Standard Webhook signed with
    /// that partner's secret in <c>MEILING_PAYMENT_PARTNER_SECRETS</c>, retried like a merchant's, and confirmed by the
    /// partner through <c>POST /v1/payment-partners/{partner}/recipient-confirmations</c>. A partner without one is told
    /// only by the sandbox partners (<see cref="PaymentSandboxCallback"/>); in Production the delivery partner, which
    /// every fulfilled delivery reaches, must have one.
    /// </summary>
    [ConfigurationKeyName("PARTNER_NOTICE_URLS")]
    public string? PartnerNoticeUrlsText { get; set; }

    /// <summary>The partners' notice URLs as configured; none when unset or invalid (which start-up refuses).</summary>
    public IReadOnlyDictionary<string, Uri> PartnerNoticeUrls =>
        Webhooks.PartnerNoticeEndpoints.TryParseUrls(PartnerNoticeUrlsText, out var urls) ? urls : new Dictionary<string, Uri>();

    /// <summary>The partners' notice URLs with their secrets; none when unset or invalid (which start-up refuses).</summary>
    public Webhooks.PartnerNoticeEndpoints PartnerNotices => new(PartnerNoticeUrls
        .Where(pair => PartnerSecrets.ContainsKey(pair.Key))
        .ToDictionary(pair => pair.Key, pair => new Webhooks.PartnerNoticeEndpoint(pair.Value, PartnerSecrets[pair.Key])));

    /// <summary>
    /// Who sends text messages (<c>MEILING_SMS_SENDER</c>): <c>sandbox</c> keeps them in memory for an operator to
    /// read at <c>GET /v1/sandbox/sms</c> (refused when the host environment is Production); <c>none</c> (the default)
    /// sends nothing. A real provider plugs in as another <c>ISmsSender</c> (docs/security.md).
    /// </summary>
    [ConfigurationKeyName("SMS_SENDER")]
    [RegularExpression("^(sandbox|none)$", ErrorMessage = "MEILING_SMS_SENDER must be sandbox or none.")]
    public string SmsSender { get; set; } = "none";

    /// <summary>
    /// Whether registering needs a code texted to the number (<c>MEILING_PHONE_VERIFICATION</c>, <c>on</c> or
    /// <c>off</c>). Off is weaker — anyone can register a stranger's number — for deployments that verify it elsewhere
    /// and for load tests.
    /// </summary>
    [ConfigurationKeyName("PHONE_VERIFICATION")]
    [RegularExpression("^(on|off)$", ErrorMessage = "MEILING_PHONE_VERIFICATION must be on or off.")]
    public string PhoneVerification { get; set; } = "on";

    /// <summary>Days a request support filed waits for the user's confirmation before it is cancelled (<c>MEILING_CONFIRMATION_DAYS</c>, P8.1).</summary>
    [ConfigurationKeyName("CONFIRMATION_DAYS")]
    [Range(1, 30, ErrorMessage = "MEILING_CONFIRMATION_DAYS must be 1-30.")]
    public int ConfirmationDays { get; set; } = 7;

    /// <summary>Days a child's account waits for the guardian's confirmation before its data is deleted (<c>MEILING_GUARDIAN_CONFIRM_DAYS</c>, P5.1).</summary>
    [ConfigurationKeyName("GUARDIAN_CONFIRM_DAYS")]
    [Range(1, 30, ErrorMessage = "MEILING_GUARDIAN_CONFIRM_DAYS must be 1-30.")]
    public int GuardianConfirmDays { get; set; } = 7;

    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var result in base.Validate(validationContext))
        {
            yield return result;
        }

        if (!string.IsNullOrWhiteSpace(PaymentSandboxCallback))
        {
            if (!Uri.TryCreate(PaymentSandboxCallback, UriKind.Absolute, out var callback) || callback.Scheme is not ("http" or "https"))
            {
                yield return new ValidationResult("MEILING_PAYMENT_SANDBOX_CALLBACK must be the API's absolute http(s) URL.", [nameof(PaymentSandboxCallback)]);
            }

            if (SandboxPaymentPartners.Names.Any(name => !PartnerSecrets.ContainsKey(name)))
            {
                yield return new ValidationResult(
                    $"MEILING_PAYMENT_SANDBOX_CALLBACK needs MEILING_PAYMENT_PARTNER_SECRETS for {string.Join(" and ", SandboxPaymentPartners.Names)}.",
                    [nameof(PaymentSandboxCallback)]);
            }
        }

        if (!Webhooks.PartnerNoticeEndpoints.TryParseUrls(PartnerNoticeUrlsText, out var noticeUrls))
        {
            yield return new ValidationResult(
                "MEILING_PARTNER_NOTICE_URLS must be name=http(s)://… pairs separated by commas, each partner once.", [nameof(PartnerNoticeUrlsText)]);
        }
        else if (noticeUrls.Keys.Where(partner => !PartnerSecrets.ContainsKey(partner)).ToList() is { Count: > 0 } unsigned)
        {
            yield return new ValidationResult(
                $"MEILING_PARTNER_NOTICE_URLS names {string.Join(", ", unsigned)} without a secret in MEILING_PAYMENT_PARTNER_SECRETS to sign its notices with.",
                [nameof(PartnerNoticeUrlsText)]);
        }

        if (!MeiLing.Grains.Privacy.Encryption.MasterKeyRing.TryParse(MasterKeyText(), out _))
        {
            yield return new ValidationResult(
                "MEILING_MASTER_KEYS (or the file MEILING_MASTER_KEYS_FILE) must hold id:base64 pairs of 32-byte keys, the first current.",
                [nameof(MasterKeys)]);
        }

        if (!IPAddress.TryParse(AdvertisedIp, out _))
        {
            yield return new ValidationResult("MEILING_ADVERTISED_IP must be an IP address.", [nameof(AdvertisedIp)]);
        }

        if (!IPAddress.TryParse(HttpListenIp, out _))
        {
            yield return new ValidationResult("MEILING_HTTP_LISTEN_IP must be an IP address.", [nameof(HttpListenIp)]);
        }

        if (new[] { SiloPort, GatewayPort, DashboardPort }.Distinct().Count() != 3)
        {
            yield return new ValidationResult(
                "MEILING_SILO_PORT, MEILING_GATEWAY_PORT and MEILING_DASHBOARD_PORT must be three different ports.",
                [nameof(SiloPort)]);
        }
    }
}
