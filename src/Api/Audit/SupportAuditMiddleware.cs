using System.Text.Json;
using MeiLing.Api.Routing;
using MeiLing.Api.Security;
using MeiLing.Grains.Audit;

namespace MeiLing.Api.Audit;

/// <summary>
/// Every call by a support tool is written to the hash-chained audit log before it runs (P1.7): who,
/// which route, and the ids it names. If the audit log cannot take the entry, the call does not happen.
/// The support console's pages are routes like any other here (their route ids included).
/// A read of a resource whose user only the resource names (<see cref="SupportLookupAttribute"/>: an order, a ticket,
/// a request) is written once the handler has read it, with that user, before the answer leaves (a read the audit
/// log cannot take shows nothing); a read that found no user's resource is written, without one, after it.
/// </summary>
public static class SupportAuditMiddleware
{
    // Ids are short; anything longer is not an id and is left out rather than written to the log.
    private const int MaxQueryIdLength = 64;

    public static IApplicationBuilder UseSupportAudit(this IApplicationBuilder app) =>
        // Only support's calls are written: every other goes on without a step of its own (no async state kept for it).
        app.Use((context, next) =>
            context.User.IsInRole(Roles.Support) && context.GetEndpoint() is RouteEndpoint endpoint
                ? AuditThenRunAsync(context, endpoint, next)
                : next(context));

    private static async Task AuditThenRunAsync(HttpContext context, RouteEndpoint endpoint, RequestDelegate next)
    {
        var ids = context.Request.RouteValues
            .Where(pair => pair.Key.EndsWith("Id", StringComparison.Ordinal) || pair.Key == RouteIds.PartyParameter)
            .ToDictionary(pair => pair.Key, pair => pair.Value?.ToString());
        // The subject is the route's user only: a query string is the caller's to write.
        var userId = ids.GetValueOrDefault("userId");
        // A console form names what it acts on in its query (a reply's ticketId): that goes in the detail too.
        foreach (var (key, value) in context.Request.Query)
        {
            if (key.EndsWith("Id", StringComparison.Ordinal) && !ids.ContainsKey(key) && value.ToString() is { Length: <= MaxQueryIdLength } id)
            {
                ids[key] = id;
            }
        }

        var action = $"{context.Request.Method} {RouteIds.Plain(endpoint.RoutePattern)}";
        if (userId is null && HttpMethods.IsGet(context.Request.Method) && endpoint.Metadata.GetMetadata<SupportLookupAttribute>() is { } lookup)
        {
            await LookUpThenAuditAsync(context, next, new SupportLookup(action, lookup.ResourceIdName, ids));
            return;
        }

        await SupportAudit.AppendAsync(context, action, userId, JsonSerializer.Serialize(ids));
        await next(context);
    }

    // P1.7: the handler writes the entry with the user it found (SupportAudit.SubjectFoundAsync); whatever found none
    // (unknown, out of scope, a walk-in sale, a failure) is written here without a user.
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
                await SupportAudit.AppendAsync(context, lookup.Action, null, JsonSerializer.Serialize(lookup.Ids));
            }
        }
    }
}

/// <summary>
/// Marks a support read (GET) whose subject user is named by the resource it reads, not by its route: the handler
/// reports the user it found (<see cref="SupportAudit.SubjectFoundAsync"/>) and the audit entry names them (P1.7).
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
    /// <summary>Support's read of this route is audited with the user the resource named by <paramref name="resourceIdName"/> belongs to (P1.7).</summary>
    public static TBuilder AuditsSubjectOf<TBuilder>(this TBuilder builder, string resourceIdName)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new SupportLookupAttribute(resourceIdName));
}

/// <summary>One support read under way whose entry waits for the subject the handler finds.</summary>
internal sealed class SupportLookup(string action, string resourceIdName, IReadOnlyDictionary<string, string?> ids)
{
    public string Action { get; } = action;

    public IReadOnlyDictionary<string, string?> Ids { get; } = ids;

    public bool Audited { get; set; }

    /// <summary>
    /// The detail of the entry with its subject: where the subject came from first, then the route's ids. It never
    /// begins with a request id as a request's own entries do (IAuditLogGrain.AboutRequest), so agents' reads of a
    /// request stay out of its trail.
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
    /// Called by a handler once it has read a resource its caller may see, before it answers: support's read of a
    /// <see cref="SupportLookupAttribute"/> route is written now, with the resource's user as its subject, so the user's
    /// own audit trail shows it (P1.7). Anything else (not support, not such a read, already written) does nothing.
    /// </summary>
    public static async Task SubjectFoundAsync(HttpContext context, string userId)
    {
        if (context.Features.Get<SupportLookup>() is { Audited: false } lookup)
        {
            await AppendAsync(context, lookup.Action, userId, lookup.DetailWithSubject());
            lookup.Audited = true;
        }
    }
}
