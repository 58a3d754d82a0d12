using System.Collections.ObjectModel;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace MeiLing.Api.Security;

/// <summary>
/// A ticket of the API's own schemes (a remembered session, an API key) carries nothing but its caller: no expiry, no
/// redirect, no token. The framework gave each one a fresh, empty set of properties (two dictionaries a request); one
/// empty, read-only set serves them all instead, so that a write to it throws rather than reaching another request.
/// </summary>
public static class UnwrittenTicket
{
    private static readonly AuthenticationProperties Empty =
        new(ReadOnlyDictionary<string, string?>.Empty, ReadOnlyDictionary<string, object?>.Empty);

    // A handler's events object; the API's handlers raise none, so one serves them all (the framework made one a request).
    private static readonly Task<object> NoEvents = Task.FromResult(new object());

    public static AuthenticationTicket For(ClaimsPrincipal caller, string scheme) => new(caller, Empty, scheme);

    public static Task<object> Events => NoEvents;
}
