using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MeiLing.Api.Security;

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header through <see cref="StaffKeys"/>, the same resolution the
/// support console's sign-in uses. No header: no result (so the route's challenge answers 401).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    StaffKeys keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    /// <summary>The SHA-256 of a key (see <see cref="StaffKeys.Hash"/>).</summary>
    public static byte[] Hash(string key) => StaffKeys.Hash(key);

    protected override Task<object> CreateEventsAsync() => UnwrittenTicket.Events;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return AuthenticateResult.NoResult();
        }

        return await keys.ResolveAsync(values.ToString(), SchemeName, Context) is { } principal
            ? AuthenticateResult.Success(UnwrittenTicket.For(principal, SchemeName))
            : AuthenticateResult.Fail("Invalid API key.");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = SchemeName;
        return base.HandleChallengeAsync(properties);
    }
}
