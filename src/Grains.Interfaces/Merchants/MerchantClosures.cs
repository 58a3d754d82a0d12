using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Merchants;

/// <summary>
/// What a closing merchant erases, the partners that received it hear of (P4.3, P3.1): each anonymized order's notices to
/// the payment and delivery partners that keep its payment and delivery by its id are listed, as a request's are, under a
/// cause of the order's own, so the user reads how they went (the export) and each partner confirms by it.
/// </summary>
public static class MerchantClosures
{
    public const string CausePrefix = "clo_";

    /// <summary>The cause of an order's closure notices: its id behind a prefix, so the user's ledger finds them by order.</summary>
    public static string CauseId(string orderId) => CausePrefix + orderId;

    /// <summary>Whether <paramref name="causeId"/> is an order's closure cause.</summary>
    public static bool IsCauseId(string causeId) =>
        causeId.StartsWith(CausePrefix, StringComparison.Ordinal) && EntityId.IsWellFormed(causeId[CausePrefix.Length..], EntityId.OrderPrefix);
}
