using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MeiLing.Api.Audit;
using MeiLing.Api.Problems;
using MeiLing.Api.Security;
using MeiLing.Api.Validation;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Webhooks;
using MeiLing.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>Merchants' webhook endpoints and the deliveries to them (issue 14): the merchant itself, or an operator.</summary>
public static class WebhooksApi
{
    // Said on each of the three routes that change the endpoint (IMerchantGrain.TakeWebhookChange counts them).
    private const string MerchantChangeQuota =
        " The merchant key's own changes (set, secret rotated, removed) are at most 100 a day, then 429 quota-exceeded with Retry-After and nothing changed (P4.4); an operator's are not counted.";

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder routes)
    {
        var merchant = routes.MapGroup("/v1/merchants/{merchantId:id}").WithTags("Webhooks");

        // Where the users' rights notices go, and the secret that proves them the platform's, is the owner's to set
        // (the merchant key, or an operator; for a merchant that exists, or an operator's typo wrote a change that never
        // happened to the append-only log, and listed it among that id's changes): a manager could point them at a server of their own, and the setting
        // would outlive their offboarding (P3.1, P4.4). Managers read the setting and the deliveries.
        merchant.MapPut("/webhook", Register).ForCaller(CallerScope.TheMerchantKeyOrOperator.ThatExists()).WithName("RegisterWebhook")
            .WithSummary("Set the merchant's webhook endpoint (https, or http to loopback where MEILING_WEBHOOK_ALLOW_LOOPBACK allows loopback, only in Development or Sandbox; never a private address, nor a public host's port below 1024 other than 443) and the event types it takes (all when absent; the notices of users' rights, customer.redact, customer.updated, consent.withdrawn and shop.redact, whatever is named); answers a new signing secret, shown only here. A merchant past its closing date is 409 merchant-closed, for an operator too (P3.1, P4.3)." + MerchantChangeQuota)
            .ProducesProblems(StatusCodes.Status409Conflict);
        merchant.MapGet("/webhook", Get).ForCaller(CallerScope.TheMerchantManagerOrOperator).WithName("GetWebhook")
            .WithSummary("The merchant's webhook endpoint and event types, and its last change: changedAt, changedBy (a staff id or the merchant's id), changedByRole (operator or merchant); never the secret.");
        merchant.MapGet("/webhook/changes", Changes).ForCaller(CallerScope.TheMerchantManagerOrOperator).RequireRateLimiting(RateLimits.HeavyReadsPolicy).WithName("ListWebhookChanges")
            .WithSummary("Every change to the merchant's webhook endpoint, newest first (the last 100): change (set, secret-rotated, removed), at, byRole (operator or merchant), by, fromHost, toHost; never a URL's path or the secret. Each is written to the audit log before it is made (P3.1, P4.4). A caller reads it at most MEILING_RATE_LIMIT_HEAVY_READS_PER_SECOND times a second (10), then 429.");
        merchant.MapDelete("/webhook", Remove).ForCaller(CallerScope.TheMerchantKeyOrOperator.ThatExists()).WithName("RemoveWebhook")
            .WithSummary("Remove the endpoint; events wait in the outbox until another is registered, for as long as their retries would have lasted (four days unless MEILING_WEBHOOK_ENDPOINT_WAIT_HOURS says otherwise), then fail (failureReason no-endpoint): the requests show the merchant failed, and support can send them again." + MerchantChangeQuota);
        merchant.MapPost("/webhook/secret", RotateSecret).ForCaller(CallerScope.TheMerchantKeyOrOperator.ThatExists()).WithName("RotateWebhookSecret")
            .WithSummary("Issue a new signing secret (shown only here); the old one signs nothing more. A merchant past its closing date is 409 merchant-closed (P3.1, P4.3)." + MerchantChangeQuota)
            .ProducesProblems(StatusCodes.Status409Conflict);
        // P4.4 (*reviewer*): each page is a query of the merchant's outbox; looped at a manager's whole rate it loaded the
        // database every merchant shares, as the change list did.
        merchant.MapGet("/webhook-deliveries", Deliveries).ForCaller(CallerScope.TheMerchantManagerOrOperator.ThatExists()).RequireRateLimiting(RateLimits.HeavyReadsPolicy).WithName("ListWebhookDeliveries")
            .WithSummary("The merchant's deliveries, newest first, a page at a time: status (pending, delivered, failed), attempts, last status code, next attempt, and failureReason (no-endpoint: failed for want of an endpoint, never sent; null otherwise). A caller reads it at most MEILING_RATE_LIMIT_HEAVY_READS_PER_SECOND times a second (10), then 429.");

        routes.MapPost("/v1/webhook-deliveries/{deliveryId:id}/retry", Retry).WithTags("Webhooks")
            .RequireAuthorization(AuthorizationPolicies.OperatorOrMerchantManager).WithName("RetryWebhookDelivery")
            .WithSummary("Send a delivery again now, whatever its status (its merchant, or an operator); it keeps its webhook-id. One being sent at that moment is left to that attempt (202 all the same): a delivery is never sent twice at once. One already delivered goes again only to the URL that took it: with the endpoint re-pointed or removed since, 409 delivered-elsewhere and nothing is sent, and one re-pointed after the retry is put back delivered unsent (P3.1). A delivery older than the outbox keeps deliveries (MEILING_WEBHOOK_RETENTION_DAYS) is 409 delivery-expired (P4.1). With no endpoint registered, 409 no-endpoint and the delivery is left as it was: a pending one still fails when its wait ends (P3.1).")
            .ProducesProblems(StatusCodes.Status409Conflict);
        return routes;
    }

    private static async Task<Results<Ok<WebhookEndpointIssued>, ValidationProblem>> Register(
        string merchantId, WebhookBody body, ClaimsPrincipal caller, IClusterClient cluster, ApiSettings settings, IHostEnvironment environment)
    {
        if ((body.Events ?? []).Any(type => !WebhookEvents.All.Contains(type)))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["events"] = [$"Event types: {string.Join(", ", WebhookEvents.All)}."] });
        }

        // P4.4: where silos never deliver to loopback (Production, or the setting off), such a URL is no endpoint at all;
        // accepted, it would sit registered and fail unseen, or reach the platform's own ports should the silos' setting slip.
        if (WebhookTargets.NamesLoopback(body.Url.Trim()) && !settings.AllowsLoopbackWebhooks(environment))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["url"] = ["Loopback addresses receive no webhooks in this deployment (MEILING_WEBHOOK_ALLOW_LOOPBACK); use a public https URL."],
            });
        }

        var webhooks = cluster.GetGrain<IMerchantWebhooksGrain>(0);
        // P1.7, P3.1 (*reviewer*): a closed merchant's change is refused before its entry is written: the append-only log
        // kept an operator's "set" to a URL that was never stored, shown as the endpoint's last change.
        await webhooks.EnsureChangeable(merchantId);
        var before = await webhooks.Get(merchantId);
        await AuditChangeAsync(cluster, caller, merchantId, WebhookChangeAudit.Set, before?.Url, body.Url.Trim());
        return TypedResults.Ok(await webhooks.Register(merchantId, body.Url.Trim(), body.Events ?? []));
    }

    private static async Task<Results<Ok<WebhookEndpointView>, NotFound>> Get(string merchantId, IClusterClient cluster)
    {
        if (await cluster.GetGrain<IMerchantWebhooksGrain>(0).Get(merchantId) is not { } endpoint)
        {
            return TypedResults.NotFound();
        }

        // P3.1, P4.4: the merchant sees who last changed where its notices go (an operator may).
        var last = (await WebhookChangeAudit.ReadAsync(cluster, merchantId, 1)).FirstOrDefault();
        return TypedResults.Ok(new WebhookEndpointView(endpoint.Url, endpoint.Events, last?.At, last?.By, last?.ByRole));
    }

    private static async Task<Ok<ItemPage<WebhookChange>>> Changes(string merchantId, IClusterClient cluster) =>
        TypedResults.Ok(ItemPage.Last(await WebhookChangeAudit.ReadAsync(cluster, merchantId, WebhookChangeAudit.ListLength)));

    private static async Task<NoContent> Remove(string merchantId, ClaimsPrincipal caller, IClusterClient cluster)
    {
        var webhooks = cluster.GetGrain<IMerchantWebhooksGrain>(0);
        // Nothing registered is nothing removed: no change to record.
        if (await webhooks.Get(merchantId) is { } before)
        {
            await AuditChangeAsync(cluster, caller, merchantId, WebhookChangeAudit.Removed, before.Url, null);
            await webhooks.Remove(merchantId);
        }

        return TypedResults.NoContent();
    }

    private static async Task<Ok<WebhookSecretIssued>> RotateSecret(string merchantId, ClaimsPrincipal caller, IClusterClient cluster)
    {
        var webhooks = cluster.GetGrain<IMerchantWebhooksGrain>(0);
        // Without an endpoint the grain answers 404 and nothing changes: no change to record.
        await webhooks.EnsureChangeable(merchantId);
        if (await webhooks.Get(merchantId) is { } endpoint)
        {
            await AuditChangeAsync(cluster, caller, merchantId, WebhookChangeAudit.SecretRotated, endpoint.Url, endpoint.Url);
        }

        return TypedResults.Ok(new WebhookSecretIssued(await webhooks.RotateSecret(merchantId)));
    }

    /// <summary>
    /// Writes the change to the audit log before it is made (P3.1). P4.4: every entry is kept for good, so the merchant's own
    /// changes are first counted in its grain (429 past the day's allowance, nothing written or changed); an operator's,
    /// made for the platform, are not.
    /// </summary>
    private static async Task AuditChangeAsync(IClusterClient cluster, ClaimsPrincipal caller, string merchantId, string change, string? fromUrl, string? toUrl)
    {
        if (!caller.IsInRole(Roles.Operator))
        {
            await cluster.GetGrain<IMerchantGrain>(merchantId).TakeWebhookChange();
        }

        await WebhookChangeAudit.RecordAsync(cluster, caller, merchantId, change, fromUrl, toUrl);
    }

    private static async Task<Results<Ok<WebhookDeliveryPage>, ValidationProblem>> Deliveries(
        string merchantId, IClusterClient cluster, string? status,
        [Range(1, IMerchantWebhooksGrain.MaxPageSize)] int? limit, [StringLength(256)] string? cursor)
    {
        if (status is not (null or WebhookDeliveryStatuses.Pending or WebhookDeliveryStatuses.Delivered or WebhookDeliveryStatuses.Failed))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["Statuses: pending, delivered, failed."] });
        }

        return TypedResults.Ok(await cluster.GetGrain<IMerchantWebhooksGrain>(0).Deliveries(merchantId, status, cursor, limit ?? 50));
    }

    private static async Task<Results<Accepted, NotFound>> Retry(string deliveryId, ClaimsPrincipal caller, IClusterClient cluster)
    {
        // A merchant retries only its own deliveries; another's are, to it, no deliveries at all.
        var merchantId = caller.IsInRole(Roles.Operator) ? null : caller.SubjectId();
        if (merchantId is null)
        {
            // P1.7, P4.4 (*reviewer*): the entry was written before the delivery was looked for, so a leaked operator key
            // looping made-up ids wrote a lasting row for each 404, every one under the audit log's lock that every support
            // call and data-rights step waits on. A delivery that does not exist is 404 with nothing written.
            if (!await cluster.GetGrain<IMerchantWebhooksGrain>(0).DeliveryExists(deliveryId))
            {
                return TypedResults.NotFound();
            }

            // P1.7: an operator's retry sends a notice naming users to whatever endpoint the merchant has now.
            await OperatorActAudit.RecordAsync(cluster, caller, OperatorActAudit.DeliveryRetried, new OperatorActDetail(DeliveryId: deliveryId));
        }

        return await cluster.GetGrain<IMerchantWebhooksGrain>(0).Retry(deliveryId, merchantId)
            ? TypedResults.Accepted((string?)null)
            : TypedResults.NotFound();
    }
}

/// <summary>Body of <c>PUT /v1/merchants/{merchantId}/webhook</c>.</summary>
/// <param name="Url">Where deliveries are POSTed.</param>
/// <param name="Events">Event types to receive; all when absent or empty.</param>
public sealed record WebhookBody(
    [property: Required, StringLength(2048, MinimumLength = 1), WebhookUrl] string Url,
    [property: MaxLength(10), NoNullItems] IReadOnlyList<string>? Events = null);

/// <summary>
/// The merchant's webhook endpoint as <c>GET</c> shows it: never the secret; with its last change (who, their role, when),
/// null for an endpoint set before changes were recorded.
/// </summary>
public sealed record WebhookEndpointView(string Url, IReadOnlyList<string> Events, DateTimeOffset? ChangedAt, string? ChangedBy, string? ChangedByRole);

/// <summary>A new signing secret: the only time it is shown.</summary>
public sealed record WebhookSecretIssued(string Secret);

/// <summary>The delivery statuses a listing can be narrowed to.</summary>
public static class WebhookDeliveryStatuses
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}
