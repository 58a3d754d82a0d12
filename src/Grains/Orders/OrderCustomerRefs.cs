using System.Security.Cryptography;
using System.Text;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy.Encryption;

namespace MeiLing.Grains.Orders;

/// <summary>
/// How a row of <c>order_index</c> names its customer without holding the user id beside the order's total
/// (A.2): a pseudonym (<see cref="UserDataKeys.PseudonymAsync"/>) to find and count a user's rows by, which
/// nobody can compute once the user's key is shredded, and the user id sealed under the platform's
/// order-index key, for the merchant's listing and the merchant's termination notices. Anonymizing an order
/// removes both.
/// </summary>
public sealed class OrderCustomerRefs(UserDataKeys keys, TimeProvider clock)
{
    private const string Purpose = "order-index";

    // A key of the platform's own in user_data_keys: wrapped by the master key like a user's, and
    // re-wrapped with the others when the master key rotates.
    private const string PlatformKeyOwner = "platform:order-index";

    // A user's rows already share their pseudonym, so they may share one sealing of the id too: one seal per user and
    // minute instead of one per order. Bounded like the unwrapped keys, and for as long.
    private readonly FactCache<byte[]> _sealedForListing = new(clock, UserDataKeys.CacheFor, capacity: 100_000);

    /// <summary>The pseudonym and sealed user id a listing row holds; both null for an order without a user.</summary>
    public async Task<(string? UserRef, byte[]? SealedUserId)> ForAsync(string? userId) =>
        userId is null
            ? (null, null)
            : (await keys.PseudonymAsync(userId, Purpose, create: true), await _sealedForListing.GetOrLoadAsync(userId, async () => await SealAsync(userId)));

    /// <summary>The user's pseudonym in the index; null once their key is gone (nothing can be found by it then).</summary>
    public Task<string?> PseudonymAsync(string userId) => keys.PseudonymAsync(userId, Purpose);

    public Task<byte[]> SealAsync(string userId) => keys.SealAsync(PlatformKeyOwner, Encoding.UTF8.GetBytes(userId), Purpose);

    public async Task<string> OpenAsync(byte[] sealedUserId) =>
        Encoding.UTF8.GetString(await keys.OpenAsync(PlatformKeyOwner, sealedUserId, Purpose)
            ?? throw new CryptographicException("The platform's order-index key is missing."));
}
