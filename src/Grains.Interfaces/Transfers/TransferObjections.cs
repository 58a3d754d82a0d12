using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Transfers;

/// <summary>
/// A user's objection to a business transfer (P3.2): the merchant is told to erase the user's data instead of handing it
/// over, and that notice is listed, like a request's, under a cause of its own, derived from the transfer and the user, so
/// the user (or support) reads how it went and the merchant confirms it by the ids its notice names.
/// </summary>
public static class TransferObjections
{
    public static string CauseId(string transferId, string userId) =>
        EntityId.FromIdempotencyKey(EntityId.ObjectionPrefix, "transfer-objection", $"{transferId}\n{userId}");

    /// <summary>Whether <paramref name="causeId"/> is an objection's cause: one anyone who knows the transfer and the user works out.</summary>
    public static bool IsCauseId(string causeId) => EntityId.IsWellFormed(causeId, EntityId.ObjectionPrefix);
}
