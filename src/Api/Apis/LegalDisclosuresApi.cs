using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MeiLing.Api.Audit;
using MeiLing.Api.Security;
using MeiLing.Api.Validation;
using MeiLing.Grains.Legal;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>Legal demands for a user's data (P3.3): operators only, each backed by the document that demands it.</summary>
public static class LegalDisclosuresApi
{
    public static IEndpointRouteBuilder MapLegalDisclosuresApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/users/{userId:id}/legal-disclosures", Record).WithTags("Legal demands")
            .RequireAuthorization(AuthorizationPolicies.Operator).WithName("RecordLegalDisclosure")
            .WithSummary("Hand a user's data to an authority under a subpoena, investigation letter or court order: recorded in the user's disclosures with the document reference; the user is told unless notifyUser is false (P3.3), which then needs withheldUntil (at most 365 days ahead: the user is told once it lapses, unless a second operator renews it). Audited. 201 once handed over; a demand withheld from its user or of documentType other is 202 awaiting-approval and hands nothing over until a second operator approves it (POST /v1/legal-disclosures/{disclosureId}/approval). The same document again is the same record (a retry, the same answer); with other fields, another documentType or another notifyUser, 409 legal-disclosure-exists.");
        routes.MapPost("/v1/legal-disclosures/{disclosureId:id}/approval", Approve).WithTags("Legal demands")
            .RequireAuthorization(AuthorizationPolicies.Operator).WithName("ApproveLegalDisclosure")
            .WithSummary("A second operator approves a demand awaiting approval, with a reason, and its fields are handed over (P3.3, P1.7): 200 with the demand, handed-over. Its recorder: 403 own-demand; a key above the recorder's in the enrolment chain, or below it: 403 enrolled-the-recorder; a key enrolled under the same staff key as the recorder's: 403 enrolled-by-the-same-key; one needing no approval: 409 approval-not-needed; unknown: 404. Audited before it counts.");
        routes.MapPost("/v1/legal-disclosures/{disclosureId:id}/withholding", RenewWithholding).WithTags("Legal demands")
            .RequireAuthorization(AuthorizationPolicies.Operator).WithName("RenewLegalWithholding")
            .WithSummary("Keeps a withheld demand from its user until a new date (at most 365 days ahead), with a reason (P3.3): by an operator other than the one who set the current period running (403 own-withholding), nor one enrolled above or below it (403 enrolled-the-setter) or under the same staff key (403 enrolled-by-the-same-key); a demand the user is told of: 409 not-withheld; a withholding whose term has ended, even before the hourly sweep tells the user: 409 withholding-lapsed. Audited.");
        routes.MapGet("/v1/legal-disclosures", List).WithTags("Legal demands")
            .RequireAuthorization(AuthorizationPolicies.Operator).WithName("ListLegalDisclosures")
            .WithSummary("withheld=true: legal disclosures the user was not told about, oldest first, for review (P3.3): a page of limit (1-500, default 100), nextCursor for the next (null on the last). Each names the operator who recorded it (recordedBy) and when its hand-over finished (completedAt; null for one begun and refused or interrupted).");
        return routes;
    }

    private static async Task<Results<Created<LegalDisclosure>, Accepted<LegalDisclosure>, ValidationProblem>> Record(
        string userId, LegalDemandBody body, ClaimsPrincipal caller, IClusterClient cluster)
    {
        if (!ILegalDisclosuresGrain.DocumentTypes.Contains(body.DocumentType))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["documentType"] = [$"Document types: {string.Join(", ", ILegalDisclosuresGrain.DocumentTypes)}."] });
        }

        // P4.1, A.1 (*reviewer*): a field names data the platform holds, as every hand-over names its fields: any text there (a
        // name, a phone or identity number) stayed in the legal record and the ledger past the user's erasure.
        if (body.Fields.Any(field => !ILegalDisclosuresGrain.FieldNames.Contains(field)))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["fields"] = [$"Each field names data the platform holds: {string.Join(", ", ILegalDisclosuresGrain.FieldNames)}."] });
        }

        var disclosure = await cluster.GetGrain<ILegalDisclosuresGrain>(0).Record(userId, new LegalDemand(
            body.Authority.Trim(), body.DocumentType, body.DocumentReference.Trim(), [.. body.Fields.Select(field => field.Trim())], body.NotifyUser ?? true,
            caller.SubjectId()!, body.WithheldUntil));
        return disclosure.Status == LegalDisclosure.AwaitingApproval
            ? TypedResults.Accepted($"/v1/legal-disclosures/{disclosure.DisclosureId}/approval", disclosure)
            : TypedResults.Created($"/v1/users/{userId}/disclosures", disclosure);
    }

    private static async Task<Ok<LegalDisclosure>> Approve(string disclosureId, LegalApprovalBody body, ClaimsPrincipal caller, IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<ILegalDisclosuresGrain>(0).Approve(disclosureId, caller.SubjectId()!, body.Reason.Trim()));

    private static async Task<Ok<LegalDisclosure>> RenewWithholding(
        string disclosureId, LegalWithholdingBody body, ClaimsPrincipal caller, IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<ILegalDisclosuresGrain>(0).RenewWithholding(disclosureId, caller.SubjectId()!, body.Until, body.Reason.Trim()));

    /// <summary>The audit log's action of an operator's read of the withheld legal disclosures.</summary>
    public const string WithheldListed = "legal-disclosures:withheld-listed";

    private static async Task<Results<Ok<ItemPage<LegalDisclosure>>, ValidationProblem>> List(
        IClusterClient cluster, HttpContext context, bool? withheld, [Range(1, 500)] int? limit, [StringLength(256)] string? cursor)
    {
        if (withheld is not true)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["withheld"] = ["Only withheld=true is listed."] });
        }

        var page = await cluster.GetGrain<ILegalDisclosuresGrain>(0).WithheldPage(cursor, limit ?? 100);
        // P1.7, P3.3 (*reviewer*): any operator paged through every demand the users were not told of (who, which authority,
        // which document, what was handed over) on no record: the demands are kept from the users' own ledger and access
        // log, so nothing showed the read anywhere. Written before the page is answered, naming no user, so it stays out of
        // their access logs as the demands do; a log that refuses it shows nothing.
        await OperatorAudit.ListedAsync(context, WithheldListed, "disclosureIds", page.Items.Select(disclosure => disclosure.DisclosureId));
        return TypedResults.Ok(new ItemPage<LegalDisclosure>(page.Items, page.NextCursor));
    }
}

/// <summary>Body of <c>POST /v1/users/{userId}/legal-disclosures</c>.</summary>
/// <param name="Authority">Who demands the data (a court, a public security bureau…).</param>
/// <param name="DocumentType">subpoena, investigation-letter, court-order or other.</param>
/// <param name="DocumentReference">The document's number or reference, kept with the disclosure.</param>
/// <param name="Fields">What is handed over.</param>
/// <param name="NotifyUser">False where the law forbids telling the user; the disclosure then awaits a second operator and is listed for review.</param>
/// <param name="WithheldUntil">With notifyUser false: until when the user is not told (at most 365 days ahead).</param>
public sealed record LegalDemandBody(
    [property: Required, StringLength(ILegalDisclosuresGrain.MaxAuthorityLength, MinimumLength = 1), NotBlank, PlainText] string Authority,
    [property: Required, StringLength(32)] string DocumentType,
    [property: Required, StringLength(256, MinimumLength = 1), NotBlank, PlainText] string DocumentReference,
    [property: Required, MinLength(1), MaxLength(50), NoNullItems, PlainText] IReadOnlyList<string> Fields,
    bool? NotifyUser = true,
    DateTimeOffset? WithheldUntil = null);

/// <summary>Body of <c>POST /v1/legal-disclosures/{disclosureId}/approval</c>: why the second operator approves it.</summary>
public sealed record LegalApprovalBody([property: Required, StringLength(1000, MinimumLength = 1), NotBlank, PlainText] string Reason);

/// <summary>Body of <c>POST /v1/legal-disclosures/{disclosureId}/withholding</c>: the new end of the withholding, and why.</summary>
public sealed record LegalWithholdingBody(
    [property: Required] DateTimeOffset Until,
    [property: Required, StringLength(1000, MinimumLength = 1), NotBlank, PlainText] string Reason);
