using System.Text.Json.Serialization;

namespace MeiLing.Grains.Users;

/// <summary>
/// How many orders each merchant placed for one user lately (P4.4): a merchant's till or script placing orders for
/// a user in a loop passes the user's gate every time, and would grow the user's orders, export and erasure without
/// end. Each merchant has a window of its own, from its first order in it: one count per merchant that ordered
/// lately, whatever the allowance, so the user grain's memory does not grow with the orders. Kept in the user's state,
/// so an activation that leaves when idle does not come back with every count at nothing.
/// </summary>
public sealed class MerchantOrderAllowance
{
    /// <summary>Each merchant's current window: when it began, and the orders placed in it.</summary>
    public Dictionary<string, MerchantOrderWindow> Windows { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How many merchants' windows are held: those that ordered within a window of the last order taken.</summary>
    [JsonIgnore]
    public int MerchantsHeld => Windows.Count;

    /// <summary>
    /// Takes one order of <paramref name="merchantId"/>; throws 429 <c>too-many-orders</c> (with when its window
    /// ends) when it has placed <paramref name="limit"/> in its current window.
    /// </summary>
    public void Take(string merchantId, DateTimeOffset now, TimeSpan window, int limit)
    {
        if (Windows.TryGetValue(merchantId, out var current) && now < current.Since + window)
        {
            if (current.Orders >= limit)
            {
                throw new DomainException(DomainErrorKind.TooManyRequests, "too-many-orders",
                    $"This merchant has placed {limit} orders for this user within {window.TotalHours:0} hours; no more until the window ends.")
                {
                    RetryAfter = current.Since + window - now,
                };
            }

            current.Orders++;
            return;
        }

        // A merchant new to the map, or whose window ended: windows that ended are dropped as it is added, so the map
        // holds only merchants that ordered lately.
        foreach (var ended in Windows.Where(entry => now >= entry.Value.Since + window).Select(entry => entry.Key).ToList())
        {
            Windows.Remove(ended);
        }

        Windows[merchantId] = new MerchantOrderWindow { Since = now, Orders = 1 };
    }
}
