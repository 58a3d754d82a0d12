using MeiLing.Grains.Platform;
using Microsoft.AspNetCore.Routing.Patterns;

namespace MeiLing.Api.Routing;

/// <summary>
/// The one gate for ids in routes: a parameter written <c>{userId:id}</c> matches only an id of the shape the
/// platform gives out for its name (<c>usr_</c> and 26 base32 characters, …), so a malformed id matches no route
/// and is answered as any unknown path (404 problem+json to a caller, as for an id outside its scope; 401 to an
/// anonymous one) before a handler, a grain key, a storage query or the support audit log sees it. Blank,
/// over-long or NUL-bearing ids once reached all three and failed the server. Name a new id parameter
/// <c>{somethingId:id}</c> and add its prefix below; a test checks every route does.
/// </summary>
public static class RouteIds
{
    /// <summary>The constraint's name in route templates.</summary>
    public const string ConstraintName = "id";

    /// <summary>Each id parameter's name and the prefix of the ids it takes.</summary>
    public static readonly IReadOnlyDictionary<string, string> Prefixes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["userId"] = EntityId.UserPrefix,
        ["merchantId"] = EntityId.MerchantPrefix,
        ["staffId"] = EntityId.StaffPrefix,
        ["orderId"] = EntityId.OrderPrefix,
        ["ticketId"] = EntityId.TicketPrefix,
        ["requestId"] = EntityId.RequestPrefix,
        ["receiptId"] = EntityId.ReceiptPrefix,
        ["transferId"] = EntityId.TransferPrefix,
        ["deliveryId"] = EntityId.DeliveryPrefix,
        ["disclosureId"] = EntityId.LegalDisclosurePrefix,
    };

    /// <summary>The route parameter naming a party a notice went to (<c>{recipient:party}</c>): audited beside the ids.</summary>
    public const string PartyParameter = "recipient";

    public static IServiceCollection AddRouteIds(this IServiceCollection services) =>
        services.Configure<RouteOptions>(options =>
        {
            options.SetParameterPolicy<EntityIdRouteConstraint>(ConstraintName);
            options.SetParameterPolicy<PartyRouteConstraint>(PartyRouteConstraint.ConstraintName);
        });

    /// <summary>The route as people read it, without constraints (<c>/v1/users/{userId}</c>): for the audit log.</summary>
    public static string Plain(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        }))));
}
