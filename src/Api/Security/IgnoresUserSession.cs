namespace MeiLing.Api.Security;

/// <summary>
/// Marks a route that answers whoever calls it, signed in or not, by something other than a session (a follow-up code):
/// the user's token, even one whose session ended with the account, is not checked there, so it cannot turn the answer
/// into 401 (<see cref="UserSessionEndpointFilter"/>).
/// </summary>
public sealed class IgnoresUserSession
{
    public static IgnoresUserSession Instance { get; } = new();

    private IgnoresUserSession()
    {
    }
}

public static class IgnoresUserSessionExtensions
{
    public static TBuilder IgnoringUserSession<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(IgnoresUserSession.Instance);
}
