using MeiLing.Grains.Platform;

namespace MeiLing.Api.Validation;

/// <summary>
/// The one gate for ids in routes: each must have the shape the platform gives out (<c>usr_</c> and 26
/// base32 characters, …), else the answer is 404, as for any id outside the caller's scope — before a
/// grain key, a storage query or the support audit log sees it. Blank, over-long or NUL-bearing ids
/// once reached all three and failed the server.
/// </summary>
public static class RouteIds
{
    private static readonly Dictionary<string, string> Prefixes = new(StringComparer.Ordinal)
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
    };

    public static IApplicationBuilder UseWellFormedRouteIds(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            foreach (var (name, value) in context.Request.RouteValues)
            {
                if (Prefixes.TryGetValue(name, out var prefix) && !EntityId.IsWellFormed(value as string, prefix))
                {
                    // The status-code pages turn the empty 404 into problem+json.
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }
            }

            return next(context);
        });
}
