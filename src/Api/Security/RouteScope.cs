using System.Security.Claims;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Users;

namespace MeiLing.Api.Security;

/// <summary>
/// Scope checks for routes that answer from somewhere other than the named merchant's or user's own grain
/// (a listing table, a member card): there an unknown id would read as empty, so it is looked up, and is
/// 404 as everywhere else. A merchant's key or a user's session already proves its own id exists.
/// </summary>
public static class RouteScope
{
    /// <summary>The merchant itself, or an operator when the merchant exists.</summary>
    public static async Task<bool> SeesMerchantAsync(this ClaimsPrincipal caller, string merchantId, IClusterClient cluster) =>
        caller.IsMerchant(merchantId)
        || (caller.CanActForMerchant(merchantId) && await cluster.GetGrain<IMerchantGrain>(merchantId).Get() is not null);

    /// <summary>The user themself, or support when the user exists.</summary>
    public static async Task<bool> SeesUserAsync(this ClaimsPrincipal caller, string userId, IClusterClient cluster) =>
        caller.IsUser(userId) || (caller.CanActForUser(userId) && await cluster.UserExistsAsync(userId));

    public static async Task<bool> UserExistsAsync(this IClusterClient cluster, string userId) =>
        await cluster.GetGrain<IUserProfile>(userId).GetProfile() is not null;
}
