using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using MeiLing.Grains;
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
/// Payment partners confirming the charges they were asked to make (P1.6). No API key: each call is signed
/// (Standard Webhooks) with the secret of the partner it names, so nobody else, a user least of all, can
/// turn a pending WeChat Pay or Alipay payment into money received.
/// </summary>
public static class PaymentPartnersApi
{
    public static IEndpointRouteBuilder MapPaymentPartnersApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/payment-partners/{partner}/confirmations", Confirm).AllowAnonymous()
            .WithTags("Payment partners").WithName("ConfirmPartnerPayment")
            .WithSummary("A partner confirms a payment it charged: signed with its secret (webhook-id, webhook-timestamp, webhook-signature); 401 otherwise.")
            .Accepts<PartnerConfirmationBody>("application/json");
        return routes;
    }

    private static async Task<Results<Ok<PaymentConfirmed>, NotFound, ValidationProblem>> Confirm(
        string partner, HttpRequest request, IClusterClient cluster, ApiSettings settings, IOptions<JsonOptions> json)
    {
        if (!settings.PartnerSecrets.TryGetValue(partner, out var secret))
        {
            return TypedResults.NotFound();
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

        var body = Parse(payload, json.Value.SerializerOptions);
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(body, new ValidationContext(body), errors, validateAllProperties: true))
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(
                error => JsonNamingPolicy.CamelCase.ConvertName(error.MemberNames.FirstOrDefault() ?? "body"),
                error => new[] { error.ErrorMessage ?? "Invalid." }));
        }

        if (!EntityId.IsWellFormed(body.OrderId, EntityId.OrderPrefix))
        {
            return TypedResults.NotFound();
        }

        var order = await cluster.GetGrain<IOrderGrain>(body.OrderId)
            .ConfirmPartnerPayment(new PartnerPaymentConfirmation(partner, body.PaymentId, body.PartnerReference, body.AmountFen));
        return TypedResults.Ok(new PaymentConfirmed(order.OrderId, body.PaymentId, order.Status));
    }

    private static PartnerConfirmationBody Parse(string payload, JsonSerializerOptions options)
    {
        try
        {
            return JsonSerializer.Deserialize<PartnerConfirmationBody>(payload, options)
                ?? throw new BadHttpRequestException("The body is empty.", new JsonException("The body is empty."));
        }
        catch (JsonException malformed)
        {
            throw new BadHttpRequestException("The body is not a confirmation.", malformed);
        }
    }
}

/// <summary>Body of <c>POST /v1/payment-partners/{partner}/confirmations</c>: which payment, under which reference, for how much.</summary>
public sealed record PartnerConfirmationBody(
    [property: Required, StringLength(64, MinimumLength = 1)] string OrderId,
    [property: Required, StringLength(64, MinimumLength = 1)] string PaymentId,
    [property: Required, StringLength(128, MinimumLength = 1)] string PartnerReference,
    [property: Range(1, long.MaxValue)] long AmountFen);

public sealed record PaymentConfirmed(string OrderId, string PaymentId, OrderStatus OrderStatus);
