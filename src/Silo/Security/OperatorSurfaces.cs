using System.Security.Cryptography;
using System.Text;

namespace MeiLing.Silo.Security;

/// <summary>
/// P4.4: everything a silo serves over HTTP except the two probes (<c>/health/live</c>, <c>/health/ready</c>)
/// is for operators only — the dashboard shows call rates and the cluster's shape (its grain-state view, which
/// calls any grain's methods, and its reminder list, which names users' grains, are closed to everyone), and
/// <c>/health/memory</c> forces full collections. The caller presents the operator key
/// (<c>MEILING_OPERATOR_KEY</c>, the same as the API's), either as <c>X-Api-Key</c> or as the password of
/// HTTP Basic (any user name), which a browser asks for; it is compared by hash in constant time.
/// Without a configured key these surfaces stay closed. A browser sends the Basic password it remembers with any
/// request to the silo, another site's included, so <c>/health/memory</c>, which forces full collections, takes
/// the key only as <c>X-Api-Key</c>, which no page can make a browser add. Every answer says it is not to be
/// framed or sniffed, and sends no referrer.
/// </summary>
public static class OperatorSurfaces
{
    private static readonly PathString[] OpenProbes = ["/health/live", "/health/ready"];

    private static readonly PathString[] KeyHeaderOnly = ["/health/memory"];

    // P1.7: the dashboard's grain-state view activates any grain by the id and type asked and calls each of its
    // parameterless methods whose result matches the grain's fields: a user's profile read whole, unmasked and unaudited,
    // and methods that change things (an order anonymized) run by a GET a remembered Basic password carries from any page.
    // The reminder list names each grain holding a reminder and the reminder's name: every user grain with a
    // "guardian-deadline" is a child under 14 awaiting their guardian (A.2), every console session id one still signed in.
    // Both closed to everyone, the operator included; the dashboard's other views show counts and grain types, not anyone's data.
    private static readonly PathString[] Closed = ["/dashboard/GrainState", "/dashboard/Reminders"];

    public static IApplicationBuilder UseOperatorOnlySurfaces(this IApplicationBuilder app, SiloSettings settings)
    {
        var operatorKeyHash = settings.OperatorKey is { Length: > 0 } key ? Hash(key) : null;
        return app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (Closed.Any(path => context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase)))
            {
                await Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found").ExecuteAsync(context);
                return;
            }

            // By segments, as routing matches (*reviewer*): compared whole, "/health/memory/" took the remembered Basic password
            // and routing ran the collections all the same.
            var basicAllowed = !KeyHeaderOnly.Any(path => context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase));
            if (OpenProbes.Any(probe => context.Request.Path.Equals(probe, StringComparison.OrdinalIgnoreCase))
                || (operatorKeyHash is not null && Presented(context.Request, basicAllowed) is { } presented
                    && CryptographicOperations.FixedTimeEquals(Hash(presented), operatorKeyHash)))
            {
                await next(context);
                return;
            }

            context.Response.Headers.WWWAuthenticate = "Basic realm=\"MeiLing silo\", charset=\"UTF-8\"";
            await Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Operator credentials required",
                detail: "Present the operator key as X-Api-Key, or as the password of HTTP Basic.").ExecuteAsync(context);
        });
    }

    private static string? Presented(HttpRequest request, bool basicAllowed)
    {
        if (request.Headers["X-Api-Key"].ToString() is { Length: > 0 } apiKey)
        {
            return apiKey;
        }

        if (!basicAllowed)
        {
            return null;
        }

        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var buffer = new byte[authorization.Length];
        if (!Convert.TryFromBase64String(authorization[6..].Trim(), buffer, out var written))
        {
            return null;
        }

        var credentials = Encoding.UTF8.GetString(buffer, 0, written);
        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : credentials[(colon + 1)..];
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
