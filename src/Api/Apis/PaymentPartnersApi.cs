using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using MeiLing.Api.Problems;
using MeiLing.Grains;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Payments;
using MeiLing.Grains.Platform;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace MeiLing.Api.Apis;

/// <summary>
/// Payment partners confirming the charges they were asked to make (P1.6), and partners confirming they acted on a
/// user's request or withdrawal they were told of (P3.1). No API key: each call is signed (Standard Webhooks) with the
/// secret of the partner it names, so nobody else, a user least of all, can turn a pending WeChat Pay or Alipay
/// payment into money received, or show a user an erasure confirmed that the partner never confirmed.
/// </summary>
public static class PaymentPartnersApi
{
    public static IEndpointRouteBuilder MapPaymentPartnersApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/payment-partners/{partner}/confirmations", Confirm).AllowAnonymous()
            .WithTags("Payment partners").WithName("ConfirmPartnerPayment")
            .WithSummary("A partner confirms a payment it charged: signed with its secret (webhook-id, webhook-timestamp, webhook-signature); 401 otherwise, 404 for a payment not its own, 409 for another reference or amount. For an order that no longer takes payments (anonymized, cancelled) the confirmation is taken and the charge refunded through the partner, once.")
            .Accepts<PartnerConfirmationBody>("application/json");
        routes.MapPost("/v1/payment-partners/{partner}/recipient-confirmations", ConfirmAsRecipient).AllowAnonymous()
            .WithTags("Payment partners").WithName("ConfirmPartnerAsRecipient")
            .WithSummary("A payment or delivery partner told of a data-rights request or of a consent withdrawn directly confirms it acted: {causeId} (the requestId, receiptId, objection id or closure id of the notice: data.requestId, the consent record's id, the objection's cause, or data.closureId for an order a closing merchant erased), signed with its secret like a payment confirmation; 401 otherwise, 404 when it was not told of that cause; for a closure, or a request whose later notice (an owed address erased since) took the place of the first, 409 notice-not-delivered until the notice reached the partner (delivered, or answered by its endpoint).")
            .ProducesProblems(StatusCodes.Status409Conflict)
            .Accepts<PartnerRecipientConfirmationBody>("application/json");
        return routes;
    }

    private static async Task<Results<Ok<PaymentConfirmed>, NotFound, ValidationProblem>> Confirm(
        string partner, HttpRequest request, IClusterClient cluster, ApiSettings settings, IOptions<JsonOptions> json)
    {
        var signed = await ReadSignedAsync<PartnerConfirmationBody>(partner, request, settings, json.Value.SerializerOptions);
        if (signed.Errors is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (signed.Body is not { } body || !EntityId.IsWellFormed(body.OrderId, EntityId.OrderPrefix))
        {
            return TypedResults.NotFound();
        }

        var order = await cluster.GetGrain<IOrderGrain>(body.OrderId)
            .ConfirmPartnerPayment(new PartnerPaymentConfirmation(partner, body.PaymentId, body.PartnerReference, body.AmountFen));
        return TypedResults.Ok(new PaymentConfirmed(order.OrderId, body.PaymentId, order.Status));
    }

    // The cause is named in the signed body, not only in the path: a confirmation captured on its way cannot be
    // replayed against another request. A partner that was never told of the cause gets the same 404 as an unknown one.
    private static async Task<Results<Ok<RequestRecipient>, NotFound, ValidationProblem>> ConfirmAsRecipient(
        string partner, HttpRequest request, IClusterClient cluster, ApiSettings settings, IOptions<JsonOptions> json)
    {
        var signed = await ReadSignedAsync<PartnerRecipientConfirmationBody>(partner, request, settings, json.Value.SerializerOptions);
        if (signed.Errors is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (signed.Body is not { } body
            || !(EntityId.IsWellFormed(body.CauseId, EntityId.RequestPrefix) || EntityId.IsWellFormed(body.CauseId, EntityId.ReceiptPrefix)
                || EntityId.IsWellFormed(body.CauseId, EntityId.ObjectionPrefix) || MerchantClosures.IsCauseId(body.CauseId)))
        {
            return TypedResults.NotFound();
        }

        return await cluster.GetGrain<IRequestRecipientsGrain>(0).ConfirmAsPartner(body.CauseId, partner) is { } recipient
            ? TypedResults.Ok(recipient)
            : TypedResults.NotFound();
    }

    /// <summary>
    /// A partner's call: its body verified under that partner's own secret (unsigned, signed by another, or older than
    /// Standard Webhooks' five minutes: 401), then parsed and validated. No body when the partner has no secret here.
    /// </summary>
    private static async Task<SignedCall<T>> ReadSignedAsync<T>(string partner, HttpRequest request, ApiSettings settings, JsonSerializerOptions options)
        where T : class
    {
        if (!settings.PartnerSecrets.TryGetValue(partner, out var secret))
        {
            return new SignedCall<T>(null, null);
        }

        // The signature covers the exact bytes sent, so the body is read as text before it is parsed.
        using var reader = new StreamReader(request.Body);
        var payload = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        try
        {
            new StandardWebhook(secret).Verify(payload, request.Headers);
        }
        catch (WebhookVerificationException)
        {
            throw new DomainException(DomainErrorKind.Unauthorized, "invalid-signature", "The confirmation is not signed with this partner's secret, or is too old.");
        }

        var body = Parse<T>(payload, options);
        var errors = new List<ValidationResult>();
        return Validator.TryValidateObject(body, new ValidationContext(body), errors, validateAllProperties: true)
            ? new SignedCall<T>(body, null)
            : new SignedCall<T>(null, errors.ToDictionary(
                error => JsonNamingPolicy.CamelCase.ConvertName(error.MemberNames.FirstOrDefault() ?? "body"),
                error => new[] { error.ErrorMessage ?? "Invalid." }));
    }

    private static T Parse<T>(string payload, JsonSerializerOptions options)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(payload, options)
                ?? throw new BadHttpRequestException("The body is empty.", new JsonException("The body is empty."));
        }
        catch (JsonException malformed)
        {
            throw new BadHttpRequestException("The body is not a confirmation.", malformed);
        }
    }

    private sealed record SignedCall<T>(T? Body, Dictionary<string, string[]>? Errors)
        where T : class;
}

/// <summary>
/// Body of <c>POST /v1/payment-partners/{partner}/recipient-confirmations</c>: the cause the partner was told of and
/// acted on: the <c>requestId</c> of a request's notice, the <c>receiptId</c> of a direct withdrawal's, an objection's id, or
/// the <c>closureId</c> of an order a closing merchant erased.
/// </summary>
public sealed record PartnerRecipientConfirmationBody([property: Required, StringLength(64, MinimumLength = 1)] string CauseId);

/// <summary>Body of <c>POST /v1/payment-partners/{partner}/confirmations</c>: which payment, under which reference, for how much.</summary>
public sealed record PartnerConfirmationBody(
    [property: Required, StringLength(64, MinimumLength = 1)] string OrderId,
    [property: Required, StringLength(64, MinimumLength = 1)] string PaymentId,
    [property: Required, StringLength(128, MinimumLength = 1)] string PartnerReference,
    [property: Range(1, long.MaxValue)] long AmountFen);

public sealed record PaymentConfirmed(string OrderId, string PaymentId, OrderStatus OrderStatus);
