using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MeiLing.Api.Audit;
using MeiLing.Api.Security;
using MeiLing.Api.Validation;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Platform;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>Merchants: opened by operators, each then acting with its own API key.</summary>
public static class MerchantsApi
{
    public static RouteGroupBuilder MapMerchantsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/merchants").WithTags("Merchants");

        group.MapPost("/", CreateMerchant)
            .RequireAuthorization(AuthorizationPolicies.Operator)
            .WithName("CreateMerchant")
            .WithSummary("Open a merchant and issue its API key (shown once).");

        group.MapGet("/{merchantId:id}", GetMerchant)
            .ForCaller(CallerScope.TheMerchantOrOperator)
            .WithName("GetMerchant")
            .WithSummary("Read a merchant: operators any, a merchant itself. A closing merchant whose erasure stopped making progress shows erasureStalled: the order ids left (up to 50), member cards left and its next hourly attempt (P4.3); noticesGivenUp counts the customers it could not tell by its date, erased untold.");

        group.MapPost("/{merchantId:id}/api-key", ReplaceKey)
            .ForCaller(CallerScope.TheMerchantKeyOrOperator.ThatExists())
            .WithName("ReplaceMerchantKey")
            .WithSummary("Issue the merchant a new API key (shown once) and revoke the current one at once: operators any, a merchant itself (10 a day, then 429 quota-exceeded); written to the audit log, who and when, before the key exists (P1.7). Past a closing merchant's date its keys and its staff's end and none is issued (409 merchant-terminated, P4.3).");

        group.MapPost("/{merchantId:id}/termination", StartTermination)
            .RequireAuthorization(AuthorizationPolicies.Operator)
            .WithName("TerminateMerchant")
            .WithSummary("Start a merchant's termination: its users are notified, and after at least 30 days their data there is erased or anonymized (P4.3); written to the audit log, which operator and the notice, before anything is scheduled (P1.7).")
            .WithDescription("409 transfer-pending while the merchant is the source or the successor of a transfer not yet completed: it closes after that transfer's date (P3.2).");

        return group;
    }

    private static async Task<Results<Accepted<MerchantView>, NotFound>> StartTermination(
        string merchantId, TerminateMerchantRequest request, ClaimsPrincipal caller, IClusterClient cluster)
    {
        // P1.7, P4.3: written before anything is scheduled; a termination is not undone.
        await MerchantChangeAudit.RecordAsync(cluster, caller, MerchantChangeAudit.TerminationStarted, merchantId, request.NoticeDays);
        var merchant = await cluster.GetGrain<IMerchantGrain>(merchantId).StartTermination(request.NoticeDays);
        return TypedResults.Accepted($"/v1/merchants/{merchantId}", merchant);
    }

    private static async Task<Results<Created<MerchantCreated>, ValidationProblem>> CreateMerchant(
        CreateMerchantRequest request, ClaimsPrincipal caller, IClusterClient cluster, ApiSettings settings)
    {
        // P4.2: data stays in the regions this deployment serves.
        if (!Regions.TryResolve(settings, request.Region, out var region, out var problem))
        {
            return problem!;
        }

        var merchantId = EntityId.New(EntityId.MerchantPrefix);
        // P1.7: the key minted here is handed to whoever asked; which operator opened which merchant is kept before it exists.
        await MerchantChangeAudit.RecordAsync(cluster, caller, MerchantChangeAudit.Opened, merchantId);
        var issued = await cluster.GetGrain<IMerchantGrain>(merchantId).Open(new OpenMerchant(request.Name.Trim(), region, request.TimeZone));
        return TypedResults.Created($"/v1/merchants/{merchantId}", new MerchantCreated(merchantId, issued.ApiKey));
    }

    private static async Task<Ok<MerchantCreated>> ReplaceKey(string merchantId, ClaimsPrincipal caller, IClusterClient cluster)
    {
        // P1.7: an operator's new key for a merchant is the merchant's customers in their hands: written before it exists.
        // P4.4: the merchant's own, counted first, so a loop of them neither fills the audit log nor busies every silo.
        if (!caller.IsInRole(Roles.Operator))
        {
            await cluster.GetGrain<IMerchantGrain>(merchantId).TakeKeyReplacement();
        }

        await MerchantChangeAudit.RecordAsync(cluster, caller, MerchantChangeAudit.KeyReplaced, merchantId);
        return TypedResults.Ok(new MerchantCreated(merchantId, (await cluster.GetGrain<IMerchantGrain>(merchantId).ReplaceKey()).ApiKey));
    }

    // The route's scope admits an operator or the merchant itself; the console's merchant page, operators only.
    internal static async Task<Results<Ok<MerchantView>, NotFound>> GetMerchant(string merchantId, IClusterClient cluster)
    {
        var merchant = await cluster.GetGrain<IMerchantGrain>(merchantId).Get();
        return merchant is null ? TypedResults.NotFound() : TypedResults.Ok(merchant);
    }
}

/// <summary>Body of <c>POST /v1/merchants</c>.</summary>
/// <param name="Name">The merchant's display name.</param>
/// <param name="Region">Where its data must stay (ISO 3166-1 alpha-2); the deployment's first region when absent.</param>
/// <param name="TimeZone">The IANA time zone its daily reports use; Asia/Shanghai when absent.</param>
public sealed record CreateMerchantRequest(
    [property: Required, StringLength(100, MinimumLength = 1), PlainText] string Name,
    [property: RegularExpression("^[A-Z]{2}$", ErrorMessage = "Use an upper-case ISO 3166-1 alpha-2 code, e.g. CN.")] string? Region = null,
    [property: StringLength(64), TimeZoneId] string? TimeZone = null);

/// <summary>Body of <c>POST /v1/merchants/{merchantId}/termination</c>.</summary>
public sealed record TerminateMerchantRequest([property: Range(1, 3650)] int NoticeDays);

/// <summary>A merchant just opened, with its API key: the only time the key is shown.</summary>
public sealed record MerchantCreated(string MerchantId, string ApiKey);
