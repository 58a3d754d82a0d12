using System.Security.Claims;
using MeiLing.Api.Extensions;
using MeiLing.Api.Security;
using MeiLing.Grains.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>
/// The user's own protection of their member cards (P1.6): whether every draw on them, the merchant key's included, needs
/// the code texted to the user. Staff keys need it whatever the choice.
/// </summary>
public static class MemberCardProtectionApi
{
    public static RouteGroupBuilder MapMemberCardProtectionApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/users/{userId:id}/member-card-protection").WithTags("Users")
            .ForCaller(CallerScope.TheUser);

        group.MapGet("/", Get).WithName("GetMemberCardProtection")
            .WithSummary("Whether every member-card payment of this user needs the code texted to them (`codeAlways`).")
            .ProducesProblems(401, 403, 404);
        group.MapPut("/", Set).WithName("SetMemberCardProtection")
            .WithSummary("Choose whether every member-card payment needs your code, the merchant's own key's too (`{codeAlways}`).")
            .WithDescription("A manager's or cashier's key always needs the code (`POST /v1/orders/{orderId}/member-code`). With `codeAlways` the merchant's own key needs it too: its payment without `memberCode` is 403 `member-code-required`; and the user's own member-card payment needs a session signed in within MEILING_RECENT_SIGN_IN_MINUTES (403 `recent-sign-in-required` otherwise), so a copy of the session cannot pay a colluding merchant's order from the card. Off by default, as the contract's merchant app pays without one. The user alone.")
            .ProducesProblems(400, 401, 403, 404);
        return group;
    }

    internal static async Task<Ok<MemberCardProtection>> Get(string userId, IClusterClient cluster) =>
        TypedResults.Ok(new MemberCardProtection(await cluster.GetGrain<IUserCredentials>(userId).RequiresMemberCode()));

    internal static async Task<Ok<MemberCardProtection>> Set(
        string userId, MemberCardProtection request, ClaimsPrincipal caller, RecentSignIn recentSignIn, IClusterClient cluster)
    {
        if (!request.CodeAlways)
        {
            // P4.4, P1.6: turning the protection off is what someone holding a copied session would do before a merchant
            // draws on the cards without the user's code; turning it on needs nothing more than the session.
            recentSignIn.Ensure(caller, "Turning off the member-card code");
        }

        return TypedResults.Ok(new MemberCardProtection(await cluster.GetGrain<IUserCredentials>(userId).RequireMemberCode(request.CodeAlways)));
    }
}

/// <summary>The user's member-card protection: <see cref="CodeAlways"/>, every payment from their cards needs their code.</summary>
public sealed record MemberCardProtection(bool CodeAlways);
