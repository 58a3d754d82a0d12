using System.ComponentModel.DataAnnotations;
using System.Net;
using MeiLing.ServiceDefaults;
using Microsoft.Extensions.Configuration;

namespace MeiLing.Api;

/// <summary>The API host's settings, over the <see cref="ClusterSettings"/> every process shares.</summary>
public sealed class ApiSettings : ClusterSettings
{
    /// <summary>The first operator's API key (<c>MEILING_OPERATOR_KEY</c>); only its hash is kept in memory.</summary>
    [ConfigurationKeyName("OPERATOR_KEY")]
    [MinLength(16, ErrorMessage = "MEILING_OPERATOR_KEY must be at least 16 characters.")]
    public string? OperatorKey { get; set; }

    /// <summary>
    /// Gateways to use instead of the PostgreSQL membership table, as <c>ip:port,ip:port</c>
    /// (<c>MEILING_GATEWAYS</c>); empty means: find gateways in the membership table.
    /// </summary>
    [ConfigurationKeyName("GATEWAYS")]
    public string? Gateways { get; set; }

    /// <summary>The data regions this deployment serves, comma-separated, first is the default (<c>MEILING_REGIONS</c>, P4.2).</summary>
    [ConfigurationKeyName("REGIONS")]
    [RegularExpression("^[A-Z]{2}(,[A-Z]{2})*$", ErrorMessage = "MEILING_REGIONS must be upper-case ISO 3166-1 alpha-2 codes separated by commas, e.g. CN.")]
    public string Regions { get; set; } = "CN";

    /// <summary>How many random bytes a session signing key must hold at least (HMAC-SHA256's own size).</summary>
    public const int MinJwtKeyBytes = 32;

    /// <summary>
    /// Secret that signs users' session tokens, base64 of at least 32 random bytes, the same on every API
    /// host (<c>MEILING_JWT_KEY</c>). Required outside Development; in Development a random one per process when empty.
    /// </summary>
    [ConfigurationKeyName("JWT_KEY")]
    public string? JwtKey { get; set; }

    /// <summary>The session signing key's bytes, or null when none is configured.</summary>
    public byte[]? JwtKeyBytes =>
        string.IsNullOrEmpty(JwtKey) ? null : Convert.FromBase64String(JwtKey);

    /// <summary>How long a session token lasts (<c>MEILING_SESSION_MINUTES</c>).</summary>
    [ConfigurationKeyName("SESSION_MINUTES")]
    [Range(1, 43200, ErrorMessage = "MEILING_SESSION_MINUTES must be 1-43200.")]
    public int SessionMinutes { get; set; } = 720;

    /// <summary>
    /// How recent a user's sign-in must be for what a stolen session must not do alone: closing the account, erasing data,
    /// turning off the member-card code (<c>MEILING_RECENT_SIGN_IN_MINUTES</c>, P4.4). Older sessions get 403
    /// <c>recent-sign-in-required</c> and sign in again.
    /// </summary>
    [ConfigurationKeyName("RECENT_SIGN_IN_MINUTES")]
    [Range(1, 1440, ErrorMessage = "MEILING_RECENT_SIGN_IN_MINUTES must be 1-1440.")]
    public int RecentSignInMinutes { get; set; } = 15;

    /// <summary>
    /// How long the API waits for a grain call before answering 503 (<c>MEILING_GRAIN_CALL_TIMEOUT_SECONDS</c>);
    /// Orleans' default of 30 s would hold a request, and its connection, through a whole outage.
    /// </summary>
    [ConfigurationKeyName("GRAIN_CALL_TIMEOUT_SECONDS")]
    [Range(1, 120, ErrorMessage = "MEILING_GRAIN_CALL_TIMEOUT_SECONDS must be 1-120.")]
    public int GrainCallTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// Requests per second each API key and each signed-in user may send (<c>MEILING_RATE_LIMIT_PER_SECOND</c>);
    /// generous, so that only a runaway client or a stolen credential meets it (P4.4).
    /// </summary>
    [ConfigurationKeyName("RATE_LIMIT_PER_SECOND")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_RATE_LIMIT_PER_SECOND must be 1-1000000.")]
    public int RateLimitPerSecond { get; set; } = 5_000;

    /// <summary>
    /// Requests per second one merchant's keys may send together, its own key and every staff member's
    /// (<c>MEILING_RATE_LIMIT_PER_MERCHANT_PER_SECOND</c>): a merchant enrols up to 10,000 staff, and a bucket per key
    /// would let it send ten thousand keys' worth (P4.4).
    /// </summary>
    [ConfigurationKeyName("RATE_LIMIT_PER_MERCHANT_PER_SECOND")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_RATE_LIMIT_PER_MERCHANT_PER_SECOND must be 1-1000000.")]
    public int RateLimitPerMerchantPerSecond { get; set; } = 10_000;

    /// <summary>
    /// Requests per second one staff member's key may send (<c>MEILING_RATE_LIMIT_PER_STAFF_KEY_PER_SECOND</c>), spent
    /// before its merchant's shared allowance: one till's key, a runaway script or a dishonest cashier's, cannot spend the
    /// whole merchant's allowance and lock out its other tills (P4.4).
    /// </summary>
    [ConfigurationKeyName("RATE_LIMIT_PER_STAFF_KEY_PER_SECOND")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_RATE_LIMIT_PER_STAFF_KEY_PER_SECOND must be 1-1000000.")]
    public int RateLimitPerStaffKeyPerSecond { get; set; } = 1_000;

    /// <summary>
    /// Requests per second one support agent may send, their key and console session together
    /// (<c>MEILING_RATE_LIMIT_SUPPORT_PER_SECOND</c>): each is written to the audit log, which is kept for good, before it runs
    /// (P1.7), so an agent's key looping at an API key's rate wrote rows without end and queued every other audited action.
    /// A person at the console sends a few a second.
    /// </summary>
    [ConfigurationKeyName("RATE_LIMIT_SUPPORT_PER_SECOND")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_RATE_LIMIT_SUPPORT_PER_SECOND must be 1-1000000.")]
    public int RateLimitSupportPerSecond { get; set; } = 20;

    /// <summary>
    /// Writes per second one operator may send, their key and console session together, anything but GET and HEAD
    /// (<c>MEILING_RATE_LIMIT_OPERATOR_WRITES_PER_SECOND</c>): most are written to the audit log, which is kept for good,
    /// before they are done (P1.7), so a leaked operator key looping them at an API key's rate wrote rows without end, each
    /// under the log's lock that every support call and data-rights step waits on (P4.4). An operator at work sends a few a
    /// second; their reads keep the API key's rate.
    /// </summary>
    [ConfigurationKeyName("RATE_LIMIT_OPERATOR_WRITES_PER_SECOND")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_RATE_LIMIT_OPERATOR_WRITES_PER_SECOND must be 1-1000000.")]
    public int RateLimitOperatorWritesPerSecond { get; set; } = 20;

    /// <summary>
    /// Milliseconds a failed sign-in takes at the least (<c>MEILING_SIGN_IN_FAILURE_FLOOR_MS</c>; 0: none), the API's and the
    /// privacy center's alike (<see cref="Security.SignInFailureFloor"/>): a registered number's idle user grain woke before
    /// its password was checked, an unknown number's decoy check woke nothing, and the difference told who is registered
    /// (P4.4). Longer than waking a user grain takes on a busy cluster; a person who mistyped waits it once.
    /// </summary>
    [ConfigurationKeyName("SIGN_IN_FAILURE_FLOOR_MS")]
    [Range(0, 5_000, ErrorMessage = "MEILING_SIGN_IN_FAILURE_FLOOR_MS must be 0-5000.")]
    public int SignInFailureFloorMs { get; set; } = 400;

    /// <summary>
    /// Entries of one signed-in user each API host keeps apart in the activity log a day
    /// (<c>MEILING_ACTIVITY_ENTRIES_PER_USER_PER_DAY</c>): each distinct request of a half-second flush is one entry; beyond
    /// them each request is still counted, on one overflow entry a minute (P1.3, P4.4). A person's busy day is a few
    /// thousand; a client polling every five seconds makes 17,280.
    /// </summary>
    [ConfigurationKeyName("ACTIVITY_ENTRIES_PER_USER_PER_DAY")]
    [Range(1, 10_000_000, ErrorMessage = "MEILING_ACTIVITY_ENTRIES_PER_USER_PER_DAY must be 1-10000000.")]
    public int ActivityEntriesPerUserPerDay { get; set; } = 10_000;

    /// <summary>
    /// Reads of a page of sealed rows (location samples, activity, disclosures) one caller may make a second
    /// (<c>MEILING_RATE_LIMIT_HEAVY_READS_PER_SECOND</c>), on top of their rate for every call (P4.4): each opens up to a
    /// thousand rows. A person, or an app paging through them, reads a few a second.
    /// </summary>
    [ConfigurationKeyName("RATE_LIMIT_HEAVY_READS_PER_SECOND")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_RATE_LIMIT_HEAVY_READS_PER_SECOND must be 1-1000000.")]
    public int RateLimitHeavyReadsPerSecond { get; set; } = 10;

    /// <summary>Requests per second one client IP may send without credentials (<c>MEILING_RATE_LIMIT_ANONYMOUS_PER_SECOND</c>).</summary>
    [ConfigurationKeyName("RATE_LIMIT_ANONYMOUS_PER_SECOND")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_RATE_LIMIT_ANONYMOUS_PER_SECOND must be 1-1000000.")]
    public int RateLimitAnonymousPerSecond { get; set; } = 1_000;

    /// <summary>
    /// Registrations plus sign-ins one client IP may attempt per minute (<c>MEILING_RATE_LIMIT_CREDENTIALS_PER_MINUTE</c>):
    /// strict, against account enumeration and password spraying across many numbers.
    /// </summary>
    [ConfigurationKeyName("RATE_LIMIT_CREDENTIALS_PER_MINUTE")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_RATE_LIMIT_CREDENTIALS_PER_MINUTE must be 1-1000000.")]
    public int RateLimitCredentialsPerMinute { get; set; } = 60;

    /// <summary>
    /// Registrations plus sign-ins one IPv6 /48 may attempt per minute (<c>MEILING_RATE_LIMIT_CREDENTIALS_PER_MINUTE_PER_NETWORK</c>),
    /// on top of each /64's own <see cref="RateLimitCredentialsPerMinute"/>: a sender holding a /48 rotates through its
    /// 65,536 /64s. Larger than a /64's, so the other subscribers a carrier numbers from the same /48 still sign in.
    /// </summary>
    [ConfigurationKeyName("RATE_LIMIT_CREDENTIALS_PER_MINUTE_PER_NETWORK")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_RATE_LIMIT_CREDENTIALS_PER_MINUTE_PER_NETWORK must be 1-1000000.")]
    public int RateLimitCredentialsPerMinutePerNetwork { get; set; } = 600;

    /// <summary>
    /// One-time codes one client IP may ask for per minute (<c>MEILING_RATE_LIMIT_CODES_PER_MINUTE</c>), on top of the
    /// per-number allowance in the silos: each code is a text message someone pays for and a stranger receives.
    /// </summary>
    [ConfigurationKeyName("RATE_LIMIT_CODES_PER_MINUTE")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_RATE_LIMIT_CODES_PER_MINUTE must be 1-1000000.")]
    public int RateLimitCodesPerMinute { get; set; } = 10;

    /// <summary>
    /// One-time codes one IPv6 /48 may ask for per minute (<c>MEILING_RATE_LIMIT_CODES_PER_MINUTE_PER_NETWORK</c>), on top of each
    /// /64's own <see cref="RateLimitCodesPerMinute"/>: a sender holding a /48 rotates through its 65,536 /64s. Larger than a
    /// /64's, so the other subscribers a carrier numbers from the same /48 still get their codes.
    /// </summary>
    [ConfigurationKeyName("RATE_LIMIT_CODES_PER_MINUTE_PER_NETWORK")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_RATE_LIMIT_CODES_PER_MINUTE_PER_NETWORK must be 1-1000000.")]
    public int RateLimitCodesPerMinutePerNetwork { get; set; } = 100;

    /// <summary>
    /// One-time codes one IPv4 address, or one IPv6 /48 all its /64s together, may ask for per day
    /// (<c>MEILING_RATE_LIMIT_CODES_PER_DAY</c>), on top of the minute's: each is a text someone pays for, and at the minute's
    /// allowance alone an address had 14,400 sent a day to numbers it cycled through. Set above what the people behind one
    /// carrier's shared address ask for in a day.
    /// </summary>
    [ConfigurationKeyName("RATE_LIMIT_CODES_PER_DAY")]
    [Range(1, 100_000_000, ErrorMessage = "MEILING_RATE_LIMIT_CODES_PER_DAY must be 1-100000000.")]
    public int RateLimitCodesPerDay { get; set; } = 1_000;

    /// <summary>
    /// Wrong one-time codes one IPv4 address, or one IPv6 /48, may present per day where a code is presented without a
    /// session (registering, resetting a password, a guardian's withdrawal; <c>MEILING_RATE_LIMIT_WRONG_CODES_PER_DAY</c>),
    /// all numbers together: each number's codes take five guesses, so a guesser moving from number to number had five per
    /// text, about 5,000 a day from one address at the day's 1,000 texts, each a one-in-a-million chance at an account
    /// (a reset signs in). Past it, codes are refused unexamined (429 <c>too-many-wrong-codes</c>) for the hour.
    /// </summary>
    [ConfigurationKeyName("RATE_LIMIT_WRONG_CODES_PER_DAY")]
    [Range(1, 100_000_000, ErrorMessage = "MEILING_RATE_LIMIT_WRONG_CODES_PER_DAY must be 1-100000000.")]
    public int RateLimitWrongCodesPerDay { get; set; } = 100;

    /// <summary>
    /// Wrong one-time codes one caller may present per day where a code is presented under a session or a staff key (a
    /// child's guardian confirmation, support's confirmation of a request it filed; <c>MEILING_RATE_LIMIT_WRONG_CODES_PER_CALLER_PER_DAY</c>).
    /// Each code takes five guesses, and a fresh code (a new text, a request filed again) five more: a child asking codes
    /// through the day guessed its guardian's some 150 times, an agent filing, guessing and cancelling some 500, a hit
    /// confirming a cancellation with no second agent. Past it, 429 <c>too-many-wrong-codes</c>, the code unexamined.
    /// </summary>
    [ConfigurationKeyName("RATE_LIMIT_WRONG_CODES_PER_CALLER_PER_DAY")]
    [Range(1, 100_000_000, ErrorMessage = "MEILING_RATE_LIMIT_WRONG_CODES_PER_CALLER_PER_DAY must be 1-100000000.")]
    public int RateLimitWrongCodesPerCallerPerDay { get; set; } = 20;

    /// <summary>
    /// Wrong member codes one staff key (or the merchant's own key) may present per day at the till
    /// (<c>MEILING_RATE_LIMIT_WRONG_MEMBER_CODES_PER_STAFF_KEY_PER_DAY</c>): a code mistyped, expired or asked for another
    /// order counts as wrong, so a busy till's day is larger than an agent's; past it, 429 <c>too-many-wrong-codes</c>,
    /// the code unexamined.
    /// </summary>
    [ConfigurationKeyName("RATE_LIMIT_WRONG_MEMBER_CODES_PER_STAFF_KEY_PER_DAY")]
    [Range(1, 100_000_000, ErrorMessage = "MEILING_RATE_LIMIT_WRONG_MEMBER_CODES_PER_STAFF_KEY_PER_DAY must be 1-100000000.")]
    public int RateLimitWrongMemberCodesPerStaffKeyPerDay { get; set; } = 100;

    /// <summary>
    /// Wrong member codes all of one merchant's keys together, its own included, may present per day at the till
    /// (<c>MEILING_RATE_LIMIT_WRONG_MEMBER_CODES_PER_MERCHANT_PER_DAY</c>), on top of each key's own day: a manager enrols
    /// cashier keys at will, and each new key came with a fresh <see cref="RateLimitWrongMemberCodesPerStaffKeyPerDay"/>.
    /// Past it, 429 <c>too-many-wrong-codes</c>, the code unexamined.
    /// </summary>
    [ConfigurationKeyName("RATE_LIMIT_WRONG_MEMBER_CODES_PER_MERCHANT_PER_DAY")]
    [Range(1, 100_000_000, ErrorMessage = "MEILING_RATE_LIMIT_WRONG_MEMBER_CODES_PER_MERCHANT_PER_DAY must be 1-100000000.")]
    public int RateLimitWrongMemberCodesPerMerchantPerDay { get; set; } = 1_000;

    /// <summary>
    /// Wrong credentials one client IP may present per minute before its credentials are refused unexamined
    /// (<c>MEILING_RATE_LIMIT_FAILED_AUTH_PER_MINUTE</c>): against guessing keys and tokens (P4.4).
    /// </summary>
    [ConfigurationKeyName("RATE_LIMIT_FAILED_AUTH_PER_MINUTE")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_RATE_LIMIT_FAILED_AUTH_PER_MINUTE must be 1-1000000.")]
    public int RateLimitFailedAuthPerMinute { get; set; } = 100;

    /// <summary>
    /// Wrong credentials all the /64s of one IPv6 /48 may present per minute together
    /// (<c>MEILING_RATE_LIMIT_FAILED_AUTH_PER_MINUTE_PER_NETWORK</c>), on top of each /64's own
    /// <see cref="RateLimitFailedAuthPerMinute"/>: a sender holding a /48 rotates through its 65,536 /64s (P4.4).
    /// </summary>
    [ConfigurationKeyName("RATE_LIMIT_FAILED_AUTH_PER_MINUTE_PER_NETWORK")]
    [Range(1, 1_000_000, ErrorMessage = "MEILING_RATE_LIMIT_FAILED_AUTH_PER_MINUTE_PER_NETWORK must be 1-1000000.")]
    public int RateLimitFailedAuthPerMinutePerNetwork { get; set; } = 1000;

    /// <summary>
    /// Reverse proxies whose <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> are believed, as addresses or
    /// CIDR networks separated by commas (<c>MEILING_TRUSTED_PROXIES</c>); empty trusts none; a network wider than a /8
    /// (IPv4) or /32 (IPv6) fails start-up (P4.4, P1.3).
    /// </summary>
    [ConfigurationKeyName("TRUSTED_PROXIES")]
    public string? TrustedProxies { get; set; }

    public IReadOnlyList<System.Net.IPNetwork> TrustedProxyNetworks =>
        Security.TrustedProxies.TryParse(TrustedProxies, out var networks) ? networks : [];

    public IReadOnlyList<string> ServedRegions => Regions.Split(',');

    public IReadOnlyList<IPEndPoint> GatewayEndpoints =>
        string.IsNullOrWhiteSpace(Gateways)
            ? []
            : [.. Gateways.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(IPEndPoint.Parse)];

    private static bool IsBase64OfAtLeast(string text, int bytes)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) && written >= bytes;
    }

    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var result in base.Validate(validationContext))
        {
            yield return result;
        }

        if (!Security.TrustedProxies.TryParse(TrustedProxies, out _, out var proxiesProblem))
        {
            // P4.4, P1.3: also a network wide enough to trust nearly every caller's X-Forwarded-For (0.0.0.0/0, ::/0).
            yield return new ValidationResult($"MEILING_TRUSTED_PROXIES {proxiesProblem}", [nameof(TrustedProxies)]);
        }

        if (!string.IsNullOrEmpty(JwtKey) && !IsBase64OfAtLeast(JwtKey, MinJwtKeyBytes))
        {
            yield return new ValidationResult(
                $"MEILING_JWT_KEY must be base64 of at least {MinJwtKeyBytes} random bytes (e.g. openssl rand -base64 32).",
                [nameof(JwtKey)]);
        }

        if (!string.IsNullOrWhiteSpace(Gateways)
            && Gateways.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Any(gateway => !IPEndPoint.TryParse(gateway, out var endpoint) || endpoint.Port == 0))
        {
            yield return new ValidationResult("MEILING_GATEWAYS must be ip:port pairs separated by commas.", [nameof(Gateways)]);
        }
    }
}
