using System.Security.Claims;
using System.Text.Json;
using MeiLing.Api.Routing;
using MeiLing.Api.Security;
using MeiLing.Grains;
using MeiLing.Grains.Audit;
using MeiLing.Grains.Consents;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;

namespace MeiLing.Api.Audit;

/// <summary>
/// Every call by a support tool is written to the hash-chained audit log before it runs (P1.7): who,
/// which route, and the ids it names. If the audit log cannot take the entry, the call does not happen; past the
/// agent's day of audited calls (<c>MEILING_SUPPORT_CALLS_PER_DAY</c>) neither does it.
/// The support console's pages are routes like any other here (their route ids included).
/// A call on a resource whose user only the resource names (<see cref="SupportLookupAttribute"/>: an order, a ticket,
/// a request, a consent receipt) is written by its handler once it has found that user, with them: a read before the
/// answer leaves (a read the audit log cannot take shows nothing), an action (any other method) before it changes
/// anything (an action the audit log cannot take does not happen). A call that found no user's resource is written,
/// without one, after it.
/// </summary>
public static class SupportAuditMiddleware
{
    /// <summary>What a route's value the platform does not name is written as in an entry's detail.</summary>
    public const string Unlisted = "unlisted";

    public static IApplicationBuilder UseSupportAudit(this IApplicationBuilder app)
    {
        var partners = NamedPartners(app.ApplicationServices.GetRequiredService<ApiSettings>());
        // Only support's calls are written: every other goes on without a step of its own (no async state kept for it).
        return app.Use((context, next) =>
            // A probe reads nobody's data: unaudited, as it is unlimited (an agent's key on it wrote rows at wire speed).
            context.User.IsInRole(Roles.Support) && context.GetEndpoint() is RouteEndpoint endpoint && !RateLimits.IsProbe(context)
                ? AuditThenRunAsync(context, endpoint, next, partners)
                : next(context));
    }

    /// <summary>
    /// The partners the platform names as a notice's recipient: the payment partners it knows a secret of
    /// (<c>MEILING_PAYMENT_PARTNER_SECRETS</c>: a partner notified signs its confirmations with it) and its delivery partner.
    /// </summary>
    private static HashSet<string> NamedPartners(ApiSettings settings) =>
        new(settings.PartnerSecrets.Keys.Append(IOrderGrain.DeliveryPartner), StringComparer.Ordinal);

    private static async Task AuditThenRunAsync(HttpContext context, RouteEndpoint endpoint, RequestDelegate next, HashSet<string> partners)
    {
        // P1.7, P4.4: the agent's day of audited calls, counted in one grain (whatever API host serves them) before the
        // entry is written; past it the call is 429, neither written nor run. Every route counts, anonymous ones too (an
        // agent's key on them is written all the same). The console's sign-out counts as well, but past the day it still
        // runs, unwritten: it reads nobody's data, an agent past their day still ends their session, and a loop of it
        // writes nothing more.
        var day = SupportDayOf(context.RequestServices.GetRequiredService<IClusterClient>(), context.User);
        if (endpoint.Metadata.GetMetadata<RunsPastSupportDayAttribute>() is null)
        {
            await day.Take();
        }
        else if (!await TakesAsync(day))
        {
            await next(context);
            return;
        }

        var ids = context.Request.RouteValues
            .Where(pair => pair.Key.EndsWith("Id", StringComparison.Ordinal) || pair.Key == RouteIds.PartyParameter)
            .ToDictionary(pair => pair.Key, pair => ForTheRecord(pair.Key, pair.Value?.ToString(), partners));
        // The subject is the route's user only: a query string is the caller's to write.
        var userId = ids.GetValueOrDefault("userId");
        // A console form names what it acts on in its query (a reply's ticketId): that goes in the detail too, when it is
        // an id the platform could have issued for its name. P4.1 (*reviewer*): any name ending in "Id" and any value of
        // up to 64 characters went in, so an agent could write a name and a phone number (?noteId=张三139…) into a log
        // that refuses every change and outlives the account.
        foreach (var (key, value) in context.Request.Query)
        {
            if (!ids.ContainsKey(key) && RouteIds.Prefixes.TryGetValue(key, out var prefix) && value.ToString() is var id && EntityId.IsWellFormed(id, prefix))
            {
                ids[key] = id;
            }
        }

        var action = $"{context.Request.Method} {RouteIds.Plain(endpoint.RoutePattern)}";
        if (userId is null && endpoint.Metadata.GetMetadata<SupportLookupAttribute>() is { } lookup)
        {
            await LookUpThenAuditAsync(context, next, new SupportLookup(action, lookup.ResourceIdName, ids));
            return;
        }

        await SupportAudit.AppendAsync(context, action, userId, JsonSerializer.Serialize(ids));
        await next(context);
    }

    /// <summary>
    /// A route's value as the entry keeps it: an id of the shape the platform issues for its name, a recipient that is a
    /// merchant's id or a partner the platform names, else <see cref="Unlisted"/>. P1.7, P4.1 (*reviewer*): a recipient
    /// went in as typed, before the handler found it was no recipient of the notice at all, so an agent's
    /// <c>…/recipients/zhangsan.13912345678…/redelivery</c> wrote a name, a phone and an ID number against the user, for
    /// good (the log refuses every change), as the query's values once did.
    /// </summary>
    private static string? ForTheRecord(string name, string? value, HashSet<string> partners) =>
        value is null ? null
        : name == RouteIds.PartyParameter
            ? EntityId.IsWellFormed(value, EntityId.MerchantPrefix) || partners.Contains(value) ? value : Unlisted
        // The route's constraint admits only such ids (RouteIds); checked again, so no parameter named otherwise slips by.
        : RouteIds.Prefixes.TryGetValue(name, out var prefix) && EntityId.IsWellFormed(value, prefix) ? value : Unlisted;

    /// <summary>The support agent's day of audited calls (P1.7, P4.4): their key's calls, console pages and sign-ins together.</summary>
    public static IDailyAllowanceGrain SupportDayOf(IClusterClient cluster, ClaimsPrincipal agent) =>
        cluster.GetGrain<IDailyAllowanceGrain>(IDailyAllowanceGrain.KeyOf(DailyAllowanceKind.SupportCalls, agent.SubjectId() ?? "unknown"));

    private static async Task<bool> TakesAsync(IDailyAllowanceGrain day)
    {
        try
        {
            await day.Take();
            return true;
        }
        catch (DomainException spent) when (spent.Kind == DomainErrorKind.TooManyRequests)
        {
            return false;
        }
    }

    // P1.7: the handler writes the entry with the user it found (SupportAudit.SubjectFoundAsync, SubjectOfAsync), an
    // action's before it acts; whatever found none (unknown, out of scope, a walk-in sale, a failure) is written here
    // without a user, having changed nothing.
    private static async Task LookUpThenAuditAsync(HttpContext context, RequestDelegate next, SupportLookup lookup)
    {
        context.Features.Set(lookup);
        try
        {
            await next(context);
        }
        finally
        {
            if (!lookup.Audited)
            {
                await SupportAudit.AppendOnceAsync(context, lookup, userId: null);
            }
        }
    }
}

/// <summary>
/// Marks the one console page that still runs past a support agent's day of audited calls (P1.7, P4.4), unwritten: the
/// sign-out, so an agent past their day can still end their session, while a loop of it writes nothing more.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RunsPastSupportDayAttribute : Attribute;

/// <summary>
/// Marks a support call whose subject user is named by the resource it reads or acts on, not by its route: the handler
/// reports the user it found (<see cref="SupportAudit.SubjectFoundAsync"/>, <see cref="SupportAudit.SubjectOfAsync"/>)
/// and the audit entry names them (P1.7); an action's handler does so before it acts.
/// On a minimal-API route through <see cref="SupportLookupExtensions.AuditsSubjectOf{TBuilder}"/>; on a console page as an attribute.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = false)]
public sealed class SupportLookupAttribute(string resourceIdName) : Attribute
{
    /// <summary>The route id of the resource the subject is read from (<c>orderId</c>): written in the entry as <c>subjectFrom</c>.</summary>
    public string ResourceIdName { get; } = resourceIdName;
}

public static class SupportLookupExtensions
{
    /// <summary>Support's call of this route is audited with the user the resource named by <paramref name="resourceIdName"/> belongs to (P1.7).</summary>
    public static TBuilder AuditsSubjectOf<TBuilder>(this TBuilder builder, string resourceIdName)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new SupportLookupAttribute(resourceIdName));
}

/// <summary>One support call under way whose entry waits for the subject the handler finds.</summary>
internal sealed class SupportLookup(string action, string resourceIdName, IReadOnlyDictionary<string, string?> ids)
{
    public string Action { get; } = action;

    public IReadOnlyDictionary<string, string?> Ids { get; } = ids;

    public bool Audited { get; set; }

    /// <summary>
    /// The detail of the entry with its subject: where the subject came from first, then the route's ids. It never
    /// begins with a request id as a request's own entries do (IAuditLogGrain.AboutRequest), so agents' calls on a
    /// request stay out of its trail (the request writes its own steps there).
    /// </summary>
    public string DetailWithSubject() =>
        JsonSerializer.Serialize(new[] { new KeyValuePair<string, string?>("subjectFrom", resourceIdName) }
            .Concat(Ids).ToDictionary(pair => pair.Key, pair => pair.Value));
}

/// <summary>Writes one support action to the platform's audit log, for the middleware and for a look-up whose subject only the look-up finds.</summary>
public static class SupportAudit
{
    public static async Task AppendAsync(HttpContext context, string action, string? userId, string? detail) =>
        await context.RequestServices.GetRequiredService<IClusterClient>()
            .GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey)
            .Append(new AuditEntry(Roles.Support, context.User.SubjectId() ?? "unknown", action, userId, detail));

    /// <summary>
    /// P1.7: a support listing shows many users' data at once (a queue of requests with their recipients and purposes):
    /// the call's own entry names no one, so each resource listed gets an entry naming its user and it, as an agent's read
    /// of that resource by id does (<c>subjectFrom</c>), and its user's access log shows it: once a day for an agent and a
    /// resource (<see cref="RecentListings"/>). Written before the page is answered; nothing for another caller.
    /// </summary>
    public static async Task SubjectsListedAsync(HttpContext context, string resourceIdName, IEnumerable<(string UserId, string ResourceId)> listed)
    {
        if (!context.User.IsInRole(Roles.Support) || context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            return;
        }

        var action = $"{context.Request.Method} {RouteIds.Plain(endpoint.RoutePattern)}";
        var agent = context.User.SubjectId() ?? "unknown";
        var auditLog = context.RequestServices.GetRequiredService<IClusterClient>().GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey);
        // By resource and user: several users' objections to one transfer are one resource each listed for its own user.
        await context.RequestServices.GetRequiredService<RecentListings>().RecordOnceTodayAsync(agent, listed.Distinct(), item => item.ResourceId + " " + item.UserId, unrecorded =>
            auditLog.AppendEach([.. unrecorded.Select(item => new AuditEntry(Roles.Support, agent, action, item.UserId, SubjectDetail(resourceIdName, item.ResourceId)))]));
    }

    /// <summary>The detail of an entry whose subject a resource named: where it came from, and the resource (the access log reads its id).</summary>
    internal static string SubjectDetail(string resourceIdName, string resourceId) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["subjectFrom"] = resourceIdName, [resourceIdName] = resourceId });

    /// <summary>
    /// Called by a handler once it has read a resource its caller may see, before it answers or acts: support's call of a
    /// <see cref="SupportLookupAttribute"/> route is written now, with the resource's user as its subject, so the user's
    /// own audit trail shows it (P1.7). Anything else (not support, not such a call, already written) does nothing.
    /// </summary>
    public static async Task SubjectFoundAsync(HttpContext context, string userId)
    {
        if (context.Features.Get<SupportLookup>() is { Audited: false } lookup)
        {
            await AppendOnceAsync(context, lookup, userId);
        }
    }

    /// <summary>
    /// For a handler that acts on a resource without reading it first (a request's approval, a notice's redelivery):
    /// support's call of a <see cref="SupportLookupAttribute"/> route is written now, before the handler acts, with the
    /// user the resource's own grain names, read by the id's kind (a request, or a consent receipt whose notice is re-sent); a resource
    /// that names no user (unknown, another kind) is written without one, still before the act (P1.7). Anything else
    /// (not support, not such a call, already written) does nothing and reads nothing.
    /// </summary>
    public static async Task SubjectOfAsync(HttpContext context, string resourceId)
    {
        if (context.Features.Get<SupportLookup>() is not { Audited: false } lookup)
        {
            return;
        }

        await AppendOnceAsync(context, lookup, await UserOfAsync(context.RequestServices.GetRequiredService<IClusterClient>(), resourceId));
    }

    /// <summary>The call's one entry: with its subject and where it came from, or, when none was found, with the route's ids alone.</summary>
    internal static async Task AppendOnceAsync(HttpContext context, SupportLookup lookup, string? userId)
    {
        await AppendAsync(context, lookup.Action, userId, userId is null ? JsonSerializer.Serialize(lookup.Ids) : lookup.DetailWithSubject());
        lookup.Audited = true;
    }

    private static async Task<string?> UserOfAsync(IClusterClient cluster, string resourceId) =>
        EntityId.IsWellFormed(resourceId, EntityId.RequestPrefix) ? (await cluster.GetGrain<IDataRightsRequestGrain>(resourceId).Get())?.UserId
        : EntityId.IsWellFormed(resourceId, EntityId.ReceiptPrefix) ? (await cluster.GetGrain<IConsentRecordGrain>(resourceId).Get())?.UserId
        : null;
}
