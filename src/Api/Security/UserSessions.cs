using MeiLing.Api.Consoles;
using MeiLing.Grains.Users;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MeiLing.Api.Security;

/// <summary>
/// Users' sessions: signed bearer tokens (JWT, HMAC-SHA256) that carry the user's session generation,
/// so the user grain can end every session at once, and a random session id, so it can end one alone (sign out,
/// P4.4). Browsers may hold the same token in a strictly necessary, HttpOnly session cookie instead of the
/// header (P2.1).
/// </summary>
public sealed partial class UserSessions
{
    /// <summary>The session cookie's name over plain http (a developer's machine, the tests): see <see cref="CookieNameFor"/>.</summary>
    public const string CookieName = "meiling_session";

    /// <summary>
    /// The session cookie's name over https. A browser takes a <c>__Host-</c> cookie only from this very host, over https,
    /// with no Domain and the path <c>/</c>: a sibling host of the same site (a merchant's H5 page) could otherwise plant a
    /// site-wide <c>meiling_session</c> holding its own account's token, and the victim's privacy center would act in
    /// the planter's account (the victim's corrections, addresses and requests handed to a stranger).
    /// </summary>
    public const string SecureCookieName = "__Host-meiling_session";
    public const string GenerationClaim = "sgen";

    /// <summary>The session's own id: 128 random bits, new at every sign-in (and renewal).</summary>
    public const string SessionIdClaim = "sid";

    /// <summary>The header that carries a fresh token when the caller's own session was renewed (a password change).</summary>
    public const string RenewedTokenHeader = "X-Session-Token";

    /// <summary>Why a validly signed token that names no user or session generation is refused.</summary>
    private const string NoSession = "The token names no session.";
    private const string Issuer = "meiling";
    private const string Audience = "meiling-api";

    private readonly SymmetricSecurityKey _key;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _clock;
    private readonly ValidatedTokenCache _validatedTokens;

    public UserSessions(ApiSettings settings, TimeProvider clock, ILogger<UserSessions> logger)
    {
        // Only Development gets here without a key: start-up refuses to run without one elsewhere.
        if (settings.JwtKeyBytes is not { } key)
        {
            LogEphemeralKey(logger);
            key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(ApiSettings.MinJwtKeyBytes);
        }

        _key = new SymmetricSecurityKey(key);
        _lifetime = TimeSpan.FromMinutes(settings.SessionMinutes);
        _clock = clock;
        _validatedTokens = new ValidatedTokenCache(clock);
    }

    /// <summary>A token that validated here before and has not expired; null for any other (<see cref="ValidatedTokenCache.Recall"/>).</summary>
    public RememberedToken? Recall(ReadOnlySpan<char> token) => _validatedTokens.Recall(token);

    public IssuedSession Issue(SignedIn signedIn)
    {
        var now = _clock.GetUtcNow();
        var expires = now + _lifetime;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [CallerClaims.Subject] = signedIn.UserId,
                [GenerationClaim] = signedIn.SessionGeneration,
                [SessionIdClaim] = NewSessionId(),
                ["role"] = Roles.User,
            },
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
        return new IssuedSession(token, signedIn.UserId, expires);
    }

    public void Configure(JwtBearerOptions options)
    {
        // A token validated once is remembered until it expires (the signature is not checked again).
        options.TokenHandlers.Clear();
        options.TokenHandlers.Add(_validatedTokens);

        // Nothing reads the token back from the authentication properties (GetTokenAsync): storing it there cost every
        // request a dictionary of its own.
        options.SaveToken = false;
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = _key,
            // Pinned: a token is valid only as the platform signs it, never in an algorithm the caller picked.
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            NameClaimType = CallerClaims.Subject,
            RoleClaimType = "role",
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                // P2.1: a browser's session cookie works where the header is absent, from the API's own pages.
                if (string.IsNullOrEmpty(context.Request.Headers.Authorization)
                    && CookieMayAuthenticate(context.Request)
                    && TryReadCookie(context.Request, out var cookie))
                {
                    context.Token = cookie;
                }

                return Task.CompletedTask;
            },
            OnTokenValidated = context =>
            {
                // Whether the session is still current (not signed out, account not closed) is asked of
                // the user's grain on the request's first grain call: see UserSessionCheck.
                if (SessionClaims.Read(context.Principal!) is { } session)
                {
                    context.HttpContext.Features.Set(session.CheckUntil(new DateTimeOffset(context.SecurityToken.ValidTo, TimeSpan.Zero)));
                }
                else
                {
                    context.Fail(NoSession);
                }

                return Task.CompletedTask;
            },
        };
    }

    private static string NewSessionId() =>
        Base64UrlEncoder.Encode(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// Whether the session cookie may sign this request in. SameSite=Strict keeps other sites' requests out, but not a page
    /// on a sibling host of the same site (a merchant's H5 page, a cloud store). A page of the privacy center may be read
    /// from a link there; anything else takes the cookie only from the API's own origin: a sibling's plain form post to a
    /// route that reads no body (a request's confirmation, an objection, a cancellation) was taken as the user's own, and
    /// its image tags on the API's reads spent the user's export downloads (P8.1, P4.4) and wrote the user's activity.
    /// A link followed is a navigation: a sibling's image or script tags on the privacy center's pages (*reviewer*) kept the
    /// user's heavy reads at 429 and wrote activity entries with search terms of the sibling's choosing.
    /// </summary>
    public static bool CookieMayAuthenticate(HttpRequest request) =>
        (ConsolePaths.IsPrivacy(request.Path) && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && IsNavigation(request))
        || FromThisOrigin(request);

    // Judged by the browser's Sec-Fetch-Mode and Sec-Fetch-Dest; a browser that sends neither is judged by SameSite alone.
    // A top-level document only (*reviewer*): the pages are never framed (frame-ancestors 'none'), yet a hidden iframe's
    // request reached the server signed in, and its search terms went into the user's activity.
    private static bool IsNavigation(HttpRequest request)
    {
        var mode = request.Headers["Sec-Fetch-Mode"].ToString();
        var destination = request.Headers["Sec-Fetch-Dest"].ToString();
        return (mode.Length == 0 || mode == "navigate") && (destination.Length == 0 || destination == "document");
    }

    /// <summary>
    /// Whether a browser's request comes from the API's own pages (or none: an address typed, a bookmark). Judged by the
    /// browser's Sec-Fetch-Site, else by Origin; a request with neither (an older browser, or no browser) is judged by
    /// SameSite alone.
    /// </summary>
    public static bool FromThisOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is "same-origin" or "none";
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0
            || string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The session cookie's name for this request: only the one its scheme allows is ever read or written.</summary>
    public static string CookieNameFor(HttpRequest request) => request.IsHttps ? SecureCookieName : CookieName;

    /// <summary>The session cookie of this request's scheme; a cookie of the other name is no session.</summary>
    public static bool TryReadCookie(HttpRequest request, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? token) =>
        request.Cookies.TryGetValue(CookieNameFor(request), out token);

    public static bool HasCookie(HttpRequest request) => request.Cookies.ContainsKey(CookieNameFor(request));

    /// <summary>
    /// Hands a browser the session in its cookie, alongside the token in the answer. The cookie ends with the browser
    /// (P4.4, *reviewer*): kept for the token's 12 hours, a shared computer's next user opened the privacy center as the
    /// one who closed the browser without signing out. The token ends at its own time either way.
    /// </summary>
    public static void AppendCookie(HttpContext http, IssuedSession session)
    {
        http.Response.Cookies.Append(CookieNameFor(http.Request), session.Token, CookieOptions(http.Request, expires: null));
        DeletePlainCookieOverHttps(http);
    }

    /// <summary>Ends the browser's cookie; with the attributes it was set with, or a browser keeps a <c>__Host-</c> one.</summary>
    public static void DeleteCookie(HttpContext http)
    {
        http.Response.Cookies.Delete(CookieNameFor(http.Request), CookieOptions(http.Request, expires: null));
        DeletePlainCookieOverHttps(http);
    }

    // A browser signed in over https before the cookie took its __Host- name still holds the plain one, with a token that
    // signs nothing in now but is valid until it expires: it goes with the next sign-in or sign-out.
    private static void DeletePlainCookieOverHttps(HttpContext http)
    {
        if (http.Request.IsHttps && http.Request.Cookies.ContainsKey(CookieName))
        {
            http.Response.Cookies.Delete(CookieName, CookieOptions(http.Request, expires: null));
        }
    }

    private static CookieOptions CookieOptions(HttpRequest request, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Expires = expires,
        IsEssential = true,
        Path = "/",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "MEILING_JWT_KEY is not set (Development): sessions are signed with a random key and end when this process stops.")]
    private static partial void LogEphemeralKey(ILogger logger);
}

/// <summary>A session token and when it expires.</summary>
public sealed record IssuedSession(string Token, string UserId, DateTimeOffset ExpiresAt);
