using MeiLing.Grains.MemberCards;
using MeiLing.Grains.Orders;

namespace MeiLing.Grains.Merchants;

/// <summary>
/// A merchant's customers a batch at a time (P4.3, P3.2, P4.4): the orders that still name a user, newest first, then
/// the card holders by id. A termination or a transfer walks them over several turns, never holding them all (a
/// merchant may have millions), and saves the position between batches so an interrupted turn resumes where it stopped.
/// </summary>
public static class CustomerWalk
{
    // A position is "orders:" and the order cursor of the last customer order taken (none: from the newest), then
    // "cards:" and the last card holder taken; null (the start) or a walk's end is told apart by the answer's Next.
    private const string OrdersPhase = "orders:";
    private const string CardsPhase = "cards:";

    /// <summary>
    /// Up to <paramref name="budget"/> customers after <paramref name="position"/> (null: from the first), each an order
    /// with its user or a card holder (no order), and the position of the next batch: null once every one was taken.
    /// A user with several orders, or orders and a card, comes once for each.
    /// </summary>
    public static async Task<(IReadOnlyList<(string? OrderId, string UserId)> Customers, string? Next)> NextAsync(
        OrderIndexStore orders, MemberCardIndexStore cards, string merchantId, string? position, int budget)
    {
        var customers = new List<(string? OrderId, string UserId)>();
        string? next = position ?? OrdersPhase;
        while (next is not null && customers.Count < budget)
        {
            var take = budget - customers.Count;
            if (next.StartsWith(OrdersPhase, StringComparison.Ordinal))
            {
                var after = next[OrdersPhase.Length..];
                var rows = await orders.CustomerOrdersOfMerchantAsync(merchantId, after.Length == 0 ? null : after, take);
                customers.AddRange(rows.Select(row => ((string?)row.OrderId, row.UserId)));
                next = rows.Count < take ? CardsPhase : OrdersPhase + OrderCursor.Encode(rows[^1].CreatedAt, rows[^1].OrderId);
            }
            else
            {
                var holders = await cards.UsersOfMerchantAsync(merchantId, next[CardsPhase.Length..], take);
                customers.AddRange(holders.Select(userId => ((string?)null, userId)));
                next = holders.Count < take ? null : CardsPhase + holders[^1];
            }
        }

        return (customers, next);
    }
}
