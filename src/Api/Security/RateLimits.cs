using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using MeiLing.Api.Problems;
using Microsoft.AspNetCore.RateLimiting;

namespace MeiLing.Api.Security;

/// <summary>
/// Abuse limits (P4.4). Every request counts against one bucket: its merchant's for any key of a merchant (its own
/// key and its staff's, each staff key first against a smaller bucket of its own), a support agent's (much smaller: each of
/// their calls is audited), an operator's for their writes (as small: most are audited), another API key's own (by the key's hash, never the key), its signed-in user's, or, without
/// valid credentials, its client IP's. Registering and
/// signing in also count against a much smaller per-IP allowance. A refusal is 429 problem+json with
/// Retry-After.
/// </summary>
public static class RateLimits
{
    /// <summary>The policy of <c>POST /v1/users</c> and <c>POST /v1/sessions</c>: per client IP, per minute.</summary>
    public const string CredentialsPolicy = "credentials";

    /// <summary>The policy of <c>POST /v1/verification-codes</c>: per client IP, per minute.</summary>
    public const string CodesPolicy = "verification-codes";

    /// <summary>
    /// The privacy center's registration page: its "text me a code" form counts against the per-address allowance for
    /// codes, as <c>POST /v1/verification-codes</c> does, and its registration against the one for credentials.
    /// </summary>
    public const string RegisterPagePolicy = "privacy-register";

    /// <summary>
    /// The reads that each open a page of sealed rows (a user's location samples, activity log, disclosures): counted
    /// against a small bucket of the caller's own (<c>MEILING_RATE_LIMIT_HEAVY_READS_PER_SECOND</c>) on top of their
    /// bucket for every call. At a caller's 5,000 calls a second, one user's loop on them had the silo open five million
    /// sealed rows a second.
    /// </summary>
    public const string HeavyReadsPolicy = "heavy-reads";

    /// <summary>
    /// Reads of customers' orders (their names, phones and addresses) by a merchant's staff keys: each key spends its own
    /// heavy-reads bucket, so a till's key cannot copy every customer's details at wire speed; the merchant's own key (its
    /// back office syncing orders) and users reading their own are not counted by it.
    /// </summary>
    public const string StaffReadsPolicy = "staff-reads";

    /// <summary>
    /// Writes that all queue on one grain many users share (a transfer's objections): a small bucket of the caller's own,
    /// so one user's loop of repeats holds up no other customer's turn on that grain.
    /// </summary>
    public const string SharedGrainWritesPolicy = "shared-grain-writes";

    // Probes and the constant ping have nothing behind them to protect; orchestrators and the
    // benchmarks' HTTP ceiling must never meet a limit. Only these routes themselves: any other path under them still
    // authenticates whatever key it carries (and answers 401 or 404), so exempt by prefix, /health/anything was a way to
    // test keys without limit, and to make the silo look up one made-up key after another.
    private static readonly string[] Exempt = ["/health/live", "/health/ready", "/v1/ping"];

    public static IServiceCollection AddMeiLingRateLimits(this IServiceCollection services, ApiSettings settings) =>
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            var callers = new CallerBuckets(settings);
            options.GlobalLimiter = new StaffKeyThenCallerLimiter(
                PartitionedRateLimiter.Create<HttpContext, string>(callers.StaffKeyPartitionOf),
                PartitionedRateLimiter.Create<HttpContext, string>(callers.PartitionOf));
            // Each address's bucket, then its IPv6 /48's (NetworkAllowances): a /48 is 65,536 /64s.
            options.AddPolicy(CredentialsPolicy, context => Allowances(context).Credentials(context));
            options.AddPolicy(CodesPolicy, context => Allowances(context).Codes(context));
            options.AddPolicy(HeavyReadsPolicy, callers.HeavyReadPartitionOf);
            options.AddPolicy(SharedGrainWritesPolicy, callers.SharedGrainWritePartitionOf);
            options.AddPolicy(StaffReadsPolicy, callers.StaffReadPartitionOf);
            options.AddPolicy(RegisterPagePolicy, context => PostsToNamedHandler(context)
                ? Allowances(context).Codes(context)
                : Allowances(context).Credentials(context, bucket: "credentials:"));
            options.OnRejected = Reject;
        });

    private static NetworkAllowances Allowances(HttpContext context) => context.RequestServices.GetRequiredService<NetworkAllowances>();

    // A page's form posts name their handler in the query (?handler=Code, matched without regard to case); the
    // registration itself names none. Any named handler counts as a text sent, so no spelling of it escapes the limit.
    private static bool PostsToNamedHandler(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && !string.IsNullOrEmpty(context.Request.Query["handler"].FirstOrDefault());

    /// <summary>A probe or the constant ping: nothing behind it to protect, to limit, or to audit (P1.7: no one's data).</summary>
    internal static bool IsProbe(HttpContext context)
    {
        // Routing matches without regard to case and takes one trailing slash as the same route.
        var path = context.Request.Path.Value.AsSpan();
        if (path.EndsWith('/'))
        {
            path = path[..^1];
        }

        // A loop, not a query: this runs on every request, and a query's closure over the request is an allocation each.
        foreach (var route in Exempt)
        {
            if (path.Equals(route, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Which bucket a request counts against. Every request asks, and only a caller's first builds a limiter: the
    /// partitions' factories are made once here rather than a closure per request.
    /// </summary>
    private sealed class CallerBuckets(ApiSettings settings)
    {
        private static readonly RateLimitPartition<string> Unlimited = RateLimitPartition.GetNoLimiter("exempt");

        private readonly Func<string, RateLimiter> _credentialed = _ => TokenBucket(settings.RateLimitPerSecond);
        private readonly Func<string, RateLimiter> _anonymous = _ => TokenBucket(settings.RateLimitAnonymousPerSecond);
        private readonly Func<string, RateLimiter> _merchant = _ => TokenBucket(settings.RateLimitPerMerchantPerSecond);
        private readonly Func<string, RateLimiter> _staffKey = _ => TokenBucket(settings.RateLimitPerStaffKeyPerSecond);
        private readonly Func<string, RateLimiter> _support = _ => TokenBucket(settings.RateLimitSupportPerSecond);
        private readonly Func<string, RateLimiter> _heavyRead = _ => TokenBucket(settings.RateLimitHeavyReadsPerSecond);
        private readonly Func<string, RateLimiter> _operatorWrites = _ => TokenBucket(settings.RateLimitOperatorWritesPerSecond);

        /// <summary>
        /// The caller's bucket of heavy reads: the same caller as <see cref="PartitionOf"/> names, a bucket apart. Reads only:
        /// a page under this policy (the privacy center's) posts its consent form unlimited by it, so no number of reads
        /// (a sibling host's page looping the page in the user's browser) holds up a withdrawal.
        /// </summary>
        public RateLimitPartition<string> HeavyReadPartitionOf(HttpContext context) =>
            HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                ? new(HeavyReadKeyOf(context), _heavyRead)
                : Unlimited;

        // P4.4 (*reviewer*): a cashier's key reads heavily on a bucket of its own. Shared with the merchant's own key, a
        // cashier's loop on the reports (each refused 403, yet spending a token first: the limiter runs before
        // authorization) left the owner 429 on its staff list, its reports and its webhook log. Managers keep the
        // merchant's bucket: with one each, the merchant's 10,000 staff would bring it 10,000 heavy allowances.
        private string HeavyReadKeyOf(HttpContext context) =>
            context.User.IsInRole(Roles.Cashier) && context.User.MerchantStaffId() is { } staffId
                ? StaffHeavyReadKey(staffId)
                : "heavy:" + PartitionOf(context).PartitionKey;

        // One bucket per staff key for its heavy reads and its reads of customers' orders alike.
        private static string StaffHeavyReadKey(string staffId) => "heavy:staff:" + staffId;

        /// <summary>A staff key's heavy-reads bucket, for its reads of customers' orders; anyone else is not limited by it.</summary>
        public RateLimitPartition<string> StaffReadPartitionOf(HttpContext context) =>
            context.User.MerchantStaffId() is { } staffId ? new(StaffHeavyReadKey(staffId), _heavyRead) : Unlimited;

        /// <summary>
        /// A bucket the size of the heavy reads', of the caller's writes on a grain shared by many users: apart from their
        /// reads, so no loop of reads (a page left open, a stolen token) holds up an objection that has a deadline.
        /// </summary>
        public RateLimitPartition<string> SharedGrainWritePartitionOf(HttpContext context) =>
            new("shared-write:" + PartitionOf(context).PartitionKey, _heavyRead);

        /// <summary>A merchant's staff member's key's own bucket, by staff id, spent before the merchant's (<see cref="StaffKeyThenCallerLimiter"/>).</summary>
        public RateLimitPartition<string> StaffKeyPartitionOf(HttpContext context) =>
            new("staff:" + context.User.MerchantStaffId(), _staffKey);

        public RateLimitPartition<string> PartitionOf(HttpContext context)
        {
            // A probe sent with credentials is not an orchestrator's: it spends its caller's bucket like any other call (a
            // user's token on the ping cost a session check per request, at wire speed).
            if (IsProbe(context) && context.User.Identity?.IsAuthenticated != true)
            {
                return Unlimited;
            }

            var caller = context.User;
            if (caller.IsInRole(Roles.User) && caller.SubjectId() is { } userId)
            {
                // P4.4: a token whose session this host found ended spends its sender's bucket, not the user's own.
                var ended = context.RequestServices.GetRequiredService<EndedSessionIds>();
                return ended.Any && caller.FindFirst(UserSessions.SessionIdClaim)?.Value is { } session && ended.Contains(session)
                        ? new(ClientAddress(context), _anonymous)
                        : new("user:" + userId, _credentialed);
            }

            // A merchant's keys share one bucket: with a bucket per key, the 10,000 staff keys a merchant may enrol
            // would each bring an allowance of their own.
            if (caller.IsInRole(Roles.Merchant) && caller.SubjectId() is { } merchantId)
            {
                return new("merchant:" + merchantId, _merchant);
            }

            // Every call of a support agent's writes a lasting row to the audit log before it runs (P1.7): at an API key's
            // 5,000 a second, one agent's key (or a stolen one) wrote rows without end and queued every other audited action.
            if (caller.IsInRole(Roles.Support) && caller.SubjectId() is { } agentId)
            {
                return new("support:" + agentId, _support);
            }

            // P1.7, P4.4 (*reviewer*): an operator's writes (a delivery retried, a product archived, a merchant's key replaced)
            // are most of them written to the audit log before they are done, and had an API key's 5,000 a second: a leaked
            // operator key wrote lasting rows at that pace, each under the log's lock every support call waits on. Their
            // reads keep the key's bucket (a console page, a listing paged through).
            if (caller.OperatorId() is { } operatorId && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                return new("operator-writes:" + operatorId, _operatorWrites);
            }

            return caller.Identity?.IsAuthenticated == true && context.Request.Headers[ApiKeyAuthenticationHandler.HeaderName].ToString() is { Length: > 0 } apiKey
                ? new("key:" + Convert.ToHexStringLower(ApiKeyAuthenticationHandler.Hash(apiKey)), _credentialed)
                : new(ClientAddress(context), _anonymous);
        }

        private static TokenBucketRateLimiter TokenBucket(int perSecond) => new(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perSecond,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            // The partitioned limiter replenishes its buckets from one timer of its own, as RateLimitPartition's
            // factories arrange: a timer per caller's bucket would be one per user.
            AutoReplenishment = false,
        });
    }

    // Wrong or absent credentials count against the address they came from, so guessing keys or
    // tokens is limited like any anonymous call. Behind a trusted proxy this is the address the proxy
    // forwarded (ForwardedHeaders), otherwise the TCP peer.
    public static string ClientAddress(HttpContext context) => ClientAddress(context.Connection.RemoteIpAddress);

    /// <summary>
    /// The bucket of one client address: an IPv4 address as it is, an IPv6 address by its /64. One subscriber
    /// is handed a whole /64 and picks addresses in it at will, so keyed by the full address each of its
    /// 2^64 addresses would get an allowance of its own.
    /// </summary>
    public static string ClientAddress(IPAddress? address)
    {
        if (address is null)
        {
            return "ip:unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return "ip:" + address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "ip:" + address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return "ip:" + new IPAddress(bytes) + "/64";
    }

    private static async ValueTask Reject(OnRejectedContext rejected, CancellationToken cancellationToken) =>
        await RejectAsync(rejected.HttpContext, rejected.Lease);

    /// <summary>Answers 429 problem+json with Retry-After: the lease's own wait, else one second.</summary>
    public static async Task RejectAsync(HttpContext context, RateLimitLease lease)
    {
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.WriteProblemAsync(
            StatusCodes.Status429TooManyRequests, ProblemTypes.RateLimited, "Too many requests", $"Too many requests from this caller; retry after {seconds} s.");
    }
}
