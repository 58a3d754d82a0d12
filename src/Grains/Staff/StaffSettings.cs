namespace MeiLing.Grains.Staff;

/// <summary>What a merchant's staff (P1.6) and the platform's support agents (P1.7, P4.4) may do on their own key.</summary>
public sealed class StaffSettings
{
    /// <summary>
    /// Fen one cashier may put on member cards in a day (in the merchant's time zone) unless the merchant set their own
    /// limit. A top-up is money the cashier says they took: one who took none puts goods within a friend's reach. The day's
    /// report names them afterwards; this bounds what they can give away before anyone reads it.
    /// </summary>
    public long CashierTopUpsPerDayFen { get; set; } = 1_000_000;

    /// <summary>
    /// Data-rights requests one support agent (their key, or a script holding it) may file a day across all users
    /// (P1.7, P4.4). Each filing texts the user a confirmation code and waits in the open queue for days; a user is
    /// already held to 10 support filings a day, this bounds how many users one key can reach.
    /// </summary>
    public int SupportFilingsPerDay { get; set; } = 100;

    /// <summary>
    /// Users one support agent may look up by mobile number a day (P1.7, P4.4): a team answering calls finds a few
    /// hundred callers; a key in a loop would learn which numbers are registered.
    /// </summary>
    public int SupportPhoneLookupsPerDay { get; set; } = 300;

    /// <summary>
    /// Tickets one support agent may open a day across all users (P1.7, P4.4): a user is already held to 10 that support
    /// opens for them; this bounds how many users one key (or a script holding it) can write tickets into.
    /// </summary>
    public int SupportTicketsPerDay { get; set; } = 100;

    /// <summary>
    /// Of those, how many may find no user (P1.7): a caller on the line gives a registered number, while someone confirming
    /// guesses of a masked number's hidden digits misses on nearly every try.
    /// </summary>
    public int SupportPhoneLookupMissesPerDay { get; set; } = 30;

    /// <summary>
    /// Audited calls one support agent (key and console session together) may make a day (P1.7, P4.4). Each writes an
    /// audit entry kept for good before it runs; an agent working a queue makes a few hundred to a couple of thousand,
    /// a script holding the key at the agent's 20 a second would write 1.7 million.
    /// </summary>
    public int SupportCallsPerDay { get; set; } = 5_000;

    /// <summary>
    /// Member codes one manager's or cashier's key may have texted a day, to all members together (P1.6, P4.4). Each
    /// member already gets at most 10 a day from one shop; without this a till could text every member with a balance.
    /// </summary>
    public int MemberCodesPerStaffPerDay { get; set; } = 200;

    /// <summary>
    /// Member codes one merchant may have texted a day by all its keys together, its own included (P1.6, P4.4): a key
    /// of its own for each of thousands of staff places would otherwise multiply <see cref="MemberCodesPerStaffPerDay"/>.
    /// </summary>
    public int MemberCodesPerMerchantPerDay { get; set; } = 5_000;

    /// <summary>
    /// Stock adjustments one merchant may make a day, all its keys together (P4.4): each writes the product's stock and a
    /// movement kept for good, so a script holding a manager's key could otherwise write without end.
    /// </summary>
    public int StockAdjustmentsPerMerchantPerDay { get; set; } = 10_000;

    /// <summary>
    /// Product edits one merchant may make a day, all its keys together (P4.4): each rewrites the whole catalogue (up to
    /// 10,000 products) and tells every silo to forget its prices, so a script holding a manager's key could otherwise
    /// keep the cluster busy without end. A day's repricing of a whole catalogue by hand stays well within it.
    /// </summary>
    public int CatalogueEditsPerMerchantPerDay { get; set; } = 2_000;

    /// <summary>
    /// Member-card top-ups one merchant may take a day, all its keys together (P4.4): each writes a takings row kept for
    /// good and rewrites the card, and a cashier's only bound was an amount (a million 1-fen top-ups a day), a manager's and
    /// the merchant key's none. A busy chain's day of real top-ups stays well within it.
    /// </summary>
    public int TopUpsPerMerchantPerDay { get; set; } = 50_000;

    /// <summary>
    /// Walk-in sales (orders naming no user) one merchant may place a day, all its keys together (P4.4): each writes an order,
    /// its listing row and a row per line, kept for good, and a till's key placed them at its rate limit with no other
    /// bound (orders for a user count against the user's day at the merchant). A busy supermarket's day stays well within it.
    /// </summary>
    public int WalkInSalesPerMerchantPerDay { get; set; } = 100_000;

    /// <summary>
    /// Orders naming a user one merchant may place a day, all its keys and customers together (P4.4): each user's day at the
    /// merchant (500) bounds one customer, and a merchant's key walking every customer id its order list showed placed
    /// 500 orders for each, each order, listing row and row per line kept for good and in the customer's export.
    /// </summary>
    public int UserOrdersPerMerchantPerDay { get; set; } = 100_000;
}
