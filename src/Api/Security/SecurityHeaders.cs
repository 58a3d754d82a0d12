namespace MeiLing.Api.Security;

/// <summary>
/// Headers every response carries, error bodies included (P4.4): no MIME sniffing, no framing, no
/// referrer to another origin, a content policy under which an API answer loads nothing, and no caching of anything
/// answered to a caller with credentials. Added as the response starts, so that the exception
/// handler's reset of the response cannot drop them.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>An API answer is data, never a page: it may load nothing, and nobody may frame it.</summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>
    /// The browsable UI at <c>/swagger</c> loads its own scripts, styles and icons (the bundle's inline
    /// styles and data: images included) and calls this API; nothing from elsewhere.
    /// </summary>
    public const string SwaggerPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>A generated page with its own inline stylesheet and no script (the access export's HTML form).</summary>
    public const string StyledPagePolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>
    /// The consoles' pages: their own stylesheet, no script at all, forms posted only back to this host.
    /// </summary>
    public const string ConsolePagePolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static readonly PathString SwaggerPath = "/swagger";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(Apply, context);
            return next(context);
        });

    private static Task Apply(object state)
    {
        var context = (HttpContext)state;
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        // Nothing of an address goes to another origin. Same-origin, not no-referrer: under no-referrer a browser sends
        // "Origin: null" with its own form posts, and one without Sec-Fetch-Site (an older Safari) was then refused as
        // coming from elsewhere (SameOriginFormPosts, UserSessions.FromThisOrigin).
        headers["Referrer-Policy"] = "same-origin";
        if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
        {
            var path = context.Request.Path;
            headers.ContentSecurityPolicy = path.StartsWithSegments(SwaggerPath) ? SwaggerPolicy
                : Consoles.ConsolePaths.IsPage(path) ? ConsolePagePolicy
                : ApiPolicy;
        }

        if (context.Request.IsHttps)
        {
            headers.StrictTransportSecurity = "max-age=31536000";
        }

        // Personal data and credentials (a session token, an API key shown once) must not stay in a
        // browser's or proxy's cache.
        if (CarriesCredentials(context))
        {
            headers.CacheControl = "no-store";
            headers.Pragma = "no-cache";
        }

        return Task.CompletedTask;
    }

    private static bool CarriesCredentials(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true
        || context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
        || context.Request.Headers.ContainsKey("Authorization")
        || UserSessions.HasCookie(context.Request)
        || context.Request.Cookies.ContainsKey(Consoles.ConsoleAuthentication.CookieName)
        || context.Response.Headers.ContainsKey("Set-Cookie");
}
