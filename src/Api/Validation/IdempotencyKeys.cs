using System.Text.RegularExpressions;
using MeiLing.Api.Apis;
using MeiLing.Api.Problems;

namespace MeiLing.Api.Validation;

/// <summary>
/// An <c>Idempotency-Key</c> header, on whichever route reads it (orders, member-card top-ups), is 1-64
/// characters of <c>[A-Za-z0-9_-]</c>, else 400 problem+json naming the header. One check at the edge, so
/// no route can take a key of any length or alphabet into a grain id or an operation id (P4.4).
/// </summary>
public static partial class IdempotencyKeys
{
    public const int MaxLength = 64;

    public static IApplicationBuilder UseWellFormedIdempotencyKeys(this IApplicationBuilder app) =>
        // Most requests carry no key: they go on without a step of their own (no async state kept for them).
        app.Use((context, next) =>
            context.Request.Headers.TryGetValue(OrdersApi.IdempotencyHeader, out var values)
            && (values.Count != 1 || !WellFormed().IsMatch(values.ToString()))
                ? RefuseAsync(context)
                : next(context));

    private static Task RefuseAsync(HttpContext context) =>
        context.WriteProblemAsync(
            StatusCodes.Status400BadRequest,
            ProblemTypes.InvalidHeader,
            "Invalid header",
            $"The {OrdersApi.IdempotencyHeader} header must be 1-{MaxLength} characters of A-Z, a-z, 0-9, '_' or '-'.",
            OrdersApi.IdempotencyHeader);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}\\z")]
    private static partial Regex WellFormed();
}
