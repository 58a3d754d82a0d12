using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MeiLing.Api.Problems;
using MeiLing.Api.Security;
using MeiLing.Grains.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>Sign-in and sign-out. A session is a bearer token, also set as an HttpOnly cookie for browsers (P2.1).</summary>
public static class SessionsApi
{
    public static RouteGroupBuilder MapSessionsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/sessions").WithTags("Sessions");

        group.MapPost("/", SignIn).AllowAnonymous().RequireRateLimiting(RateLimits.CredentialsPolicy)
            .WithName("SignIn").WithSummary("Sign in with phone and password; 429 after 10 failures for one number in 15 minutes, or too many attempts from one address. The token is also set as an HttpOnly session cookie that ends with the browser (the token ends at its own time).");
        group.MapDelete("/", SignOutEverywhere).RequireAuthorization(AuthorizationPolicies.User)
            .WithName("SignOutEverywhere").WithSummary("End every session of the signed-in user.");
        group.MapDelete("/current", SignOut).RequireAuthorization(AuthorizationPolicies.User)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithName("SignOut").WithSummary(
                "End only the session whose token makes this request (P4.4): every later request with that token is 401, "
                + "the user's other sessions go on. A token issued before sessions had an id is 409 session-without-id: "
                + "DELETE /v1/sessions ends it.");

        return group;
    }

    internal static async Task<Ok<SessionBody>> SignIn(
        SignInRequest request, IClusterClient cluster, UserSessions sessions, HttpContext http, ApiSettings settings)
    {
        var signedIn = await SignInFailureFloor.HoldAsync(settings, () => cluster.GetGrain<IUserAccountsGrain>(0).SignIn(request.Phone, request.Password));
        return TypedResults.Ok(Open(signedIn, sessions, http));
    }

    /// <summary>A session for whoever just proved who they are: its token, also set as the session cookie.</summary>
    internal static SessionBody Open(SignedIn signedIn, UserSessions sessions, HttpContext http)
    {
        var session = sessions.Issue(signedIn);
        UserSessions.AppendCookie(http, session);
        return new SessionBody(session.Token, session.UserId, session.ExpiresAt);
    }

    /// <summary>Ends the caller's own session in the user's grain, not only the cookie (the privacy center's sign-out too).</summary>
    internal static async Task<NoContent> SignOut(IClusterClient cluster, HttpContext http)
    {
        // The User policy admits only a session token, which always brings its check.
        var session = http.Features.Get<UserSessionCheck>() ?? throw new InvalidOperationException("A user's request without its session.");
        await session.EndAsync(cluster);
        UserSessions.DeleteCookie(http);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> SignOutEverywhere(ClaimsPrincipal caller, IClusterClient cluster, HttpContext http)
    {
        await cluster.GetGrain<IUserCredentials>(caller.SubjectId()!).RevokeSessions();
        UserSessions.DeleteCookie(http);
        return TypedResults.NoContent();
    }
}

/// <summary>Body of <c>POST /v1/sessions</c>.</summary>
public sealed record SignInRequest(
    [property: Required, StringLength(32)] string Phone,
    [property: Required, StringLength(128)] string Password);

/// <summary>A session: the bearer token, whose user it is, and when it expires.</summary>
public sealed record SessionBody(string Token, string UserId, DateTimeOffset ExpiresAt);
