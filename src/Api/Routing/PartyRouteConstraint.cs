using System.Text.RegularExpressions;

namespace MeiLing.Api.Routing;

/// <summary>
/// <c>{recipient:party}</c>: a party a notice went to, a merchant's id or a partner's name (<c>wechat-pay</c>): letters,
/// digits, <c>.</c>, <c>_</c> and <c>-</c>, at most 64. Anything else matches no route, so it reaches neither a handler
/// nor the support audit log, as a malformed id does not (<see cref="RouteIds"/>). The end is the string's own (<c>\z</c>):
/// <c>$</c> also matched before a last line feed, and a recipient with one reached the audit log (*reviewer*).
/// </summary>
public sealed partial class PartyRouteConstraint : IRouteConstraint
{
    public const string ConstraintName = "party";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && value is string party && Party().IsMatch(party);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Party();
}
