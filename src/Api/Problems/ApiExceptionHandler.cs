using System.Text.Json;
using MeiLing.Api.Security;
using MeiLing.Grains;
using MeiLing.Grains.Users;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Orleans.Runtime.Messaging;
using Orleans.Storage;

namespace MeiLing.Api.Problems;

/// <summary>
/// Turns every exception that reaches the edge into problem+json: a grain's refusal into the status of its kind
/// (the silos already turned storage and database failures into refusals: <c>InfrastructureFailureFilter</c>),
/// an unreadable body into 400/413/415, an unreachable cluster into 503, anything else into a 500 that names
/// nothing internal (no stack, no SQL, no personal data).
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Describe(AsTheCallerMayHearIt(exception, context.User));
        var type = exception.GetType().FullName ?? "exception";
        // The handler runs with the endpoint cleared; the feature keeps the one that failed.
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.DisplayName ?? "no endpoint";
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            // Expected while a silo or PostgreSQL is down; the root cause names which.
            LogUnavailable(type, exception.GetBaseException().GetType().FullName ?? "exception", context.Request.Method, endpoint);
        }
        else if (problem.Status >= StatusCodes.Status500InternalServerError)
        {
            LogServerError(type, context.Request.Method, endpoint);
        }

        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        if (exception is DomainException { RetryAfter: { } retryAfter })
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(Math.Max(retryAfter.TotalSeconds, 1))).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (exception is DomainException { Code: SessionContext.EndedCode })
        {
            EndedSessionIds.RememberSessionOf(context);
            // As the bearer handler answers a bad token (RFC 6750): the client should sign in again.
            context.Response.Headers.WWWAuthenticate = $"Bearer error=\"invalid_token\", error_description=\"{problem.Detail}\"";
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    // A.2, P5.1, P4.1 (*reviewer*): why the platform will not process a customer's data is the customer's own: a merchant
    // holding a user id learnt from a refusal's type and detail that the customer is a child under 14 awaiting or refused by
    // their guardian, or that they are cancelling their account, and nothing recorded that it learnt it. A merchant's keys
    // hear one refusal for all of them; the user and support still read the reason.
    private static readonly HashSet<string> CustomersOwnReasons =
        ["guardian-confirmation-pending", "guardian-consent-required", "guardian-consent-withdrawn", "account-closing"];

    internal const string ProcessingRefusedCode = "processing-refused";

    private static Exception AsTheCallerMayHearIt(Exception exception, System.Security.Claims.ClaimsPrincipal caller) =>
        exception is DomainException { Kind: DomainErrorKind.Forbidden } refused && CustomersOwnReasons.Contains(refused.Code) && caller.IsInRole(Roles.Merchant)
            ? DomainException.Forbidden(ProcessingRefusedCode, "The platform does not process this customer's data for a merchant now; nothing was changed.")
            : exception;

    private static ProblemDetails Describe(Exception exception) => exception switch
    {
        DomainException { Field: { } field } domain => new HttpValidationProblemDetails(
            new Dictionary<string, string[]> { [field] = [domain.Message] })
        {
            Status = StatusFor(domain.Kind),
            Type = ProblemTypes.For(domain.Code),
            Title = TitleFor(domain.Kind),
            Detail = domain.Message,
        },
        DomainException domain => new ProblemDetails
        {
            Status = StatusFor(domain.Kind),
            Type = ProblemTypes.For(domain.Code),
            Title = TitleFor(domain.Kind),
            Detail = domain.Message,
        },
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new ProblemDetails
        {
            Status = StatusCodes.Status413PayloadTooLarge,
            Type = ProblemTypes.BodyTooLarge,
            Title = "Request body too large",
            Detail = $"Request bodies are limited to {RequestBodyLimit.MaxBytes} bytes.",
        },
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => new ProblemDetails
        {
            Status = StatusCodes.Status415UnsupportedMediaType,
            Type = ProblemTypes.UnsupportedMediaType,
            Title = "Unsupported media type",
            Detail = "Send the body as application/json.",
        },
        BadHttpRequestException bad when FindJsonException(bad) is { } json => MalformedJson(json),
        BadHttpRequestException bad => Unreadable(bad.StatusCode),
        _ when IsUnavailable(exception) => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Type = ProblemTypes.Unavailable,
            Title = "Service unavailable",
            Detail = "The platform cannot complete this request right now; nothing was changed unless a later read shows it. Retry shortly.",
        },
        _ => new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Type = ProblemTypes.Internal,
            Title = "Internal error",
        },
    };

    private static ProblemDetails Unreadable(int status) => new()
    {
        Status = status,
        Type = ProblemTypes.MalformedBody,
        Title = "Bad request",
        Detail = "The request could not be read: check the route parameters, the query and the JSON body.",
    };

    private static ProblemDetails MalformedJson(JsonException json)
    {
        var errors = new Dictionary<string, string[]>();
        if (MissingMembers(json.Message) is { Count: > 0 } missing)
        {
            foreach (var member in missing)
            {
                errors[member] = ["Required."];
            }
        }
        else if (string.IsNullOrEmpty(json.Path) || json.Path == "$")
        {
            errors["body"] = ["The body is not valid JSON of the expected shape."];
        }
        else
        {
            errors[json.Path.TrimStart('$', '.')] = ["Missing, null, or of the wrong type."];
        }

        return new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Type = ProblemTypes.MalformedBody,
            Title = "Malformed request body",
        };
    }

    // System.Text.Json names absent required members in its message, and nothing else from the body:
    // "... was missing required properties including: 'name', 'role'."
    private static List<string> MissingMembers(string message)
    {
        const string Marker = "missing required properties including:";
        var start = message.IndexOf(Marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return [];
        }

        return [.. message[(start + Marker.Length)..]
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(name => name.Trim('\'', '.', ' '))
            .Where(name => name.Length > 0)];
    }

    private static JsonException? FindJsonException(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                return json;
            }
        }

        return null;
    }

    private static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            // The cluster client's own failures: no gateway, a silo gone, a call not answered in time, a grain that
            // could not activate (its stored state unreadable, or the database away while it read it). An
            // InvalidOperationException from the client runtime itself is its "no gateway connected yet".
            if (current is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException
                or ConnectionFailedException or ClientNotAvailableException or InconsistentStateException
                or InvalidOperationException { Source: "Orleans.Core" })
            {
                return true;
            }
        }

        return false;
    }

    private static int StatusFor(DomainErrorKind kind) => kind switch
    {
        DomainErrorKind.Invalid => StatusCodes.Status400BadRequest,
        DomainErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        DomainErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        DomainErrorKind.NotFound => StatusCodes.Status404NotFound,
        DomainErrorKind.Conflict => StatusCodes.Status409Conflict,
        DomainErrorKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        DomainErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static string TitleFor(DomainErrorKind kind) => kind switch
    {
        DomainErrorKind.Invalid => "Invalid request",
        DomainErrorKind.Unauthorized => "Unauthorized",
        DomainErrorKind.Forbidden => "Forbidden",
        DomainErrorKind.NotFound => "Not found",
        DomainErrorKind.Conflict => "Conflict",
        DomainErrorKind.TooManyRequests => "Too many requests",
        DomainErrorKind.Unavailable => "Service unavailable",
        _ => "Error",
    };

    // Only the exception's type and the route: its message may carry data from the request.
    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} on {Method} {Endpoint}")]
    private partial void LogServerError(string exceptionType, string method, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unavailable ({ExceptionType}, caused by {RootCause}) on {Method} {Endpoint}: answered 503")]
    private partial void LogUnavailable(string exceptionType, string rootCause, string method, string endpoint);
}
