namespace MeiLing.Grains.Platform;

/// <summary>What a <see cref="IDailyAllowanceGrain"/> counts a day, and for whom (P1.6, P1.7, P4.4).</summary>
public enum DailyAllowanceKind
{
    /// <summary>A support agent's audited calls, key and console session together (<c>MEILING_SUPPORT_CALLS_PER_DAY</c>).</summary>
    SupportCalls,

    /// <summary>The member codes texted at one manager's or cashier's key's asking (<c>MEILING_MEMBER_CODES_PER_STAFF_PER_DAY</c>).</summary>
    MemberCodesByStaffKey,

    /// <summary>The member codes texted at the asking of any of one merchant's keys (<c>MEILING_MEMBER_CODES_PER_MERCHANT_PER_DAY</c>).</summary>
    MemberCodesByMerchant,

    /// <summary>The stock adjustments of one merchant's keys and its operators together (<c>MEILING_STOCK_ADJUSTMENTS_PER_MERCHANT_PER_DAY</c>).</summary>
    StockAdjustmentsByMerchant,

    /// <summary>The product edits of one merchant's keys and its operators together (<c>MEILING_CATALOGUE_EDITS_PER_MERCHANT_PER_DAY</c>).</summary>
    CatalogueEditsByMerchant,

    /// <summary>The member-card top-ups of one merchant's keys together (<c>MEILING_TOP_UPS_PER_MERCHANT_PER_DAY</c>).</summary>
    TopUpsByMerchant,

    /// <summary>The walk-in sales (orders naming no user) of one merchant's keys together (<c>MEILING_WALK_IN_SALES_PER_MERCHANT_PER_DAY</c>).</summary>
    WalkInSalesByMerchant,
    /// <summary>The orders naming a user that one merchant's keys together place, all its customers together (<c>MEILING_USER_ORDERS_PER_MERCHANT_PER_DAY</c>).</summary>
    UserOrdersByMerchant,

    /// <summary>
    /// The wrong one-time codes one caller presents under a session or a staff key, a child's guardian codes and an agent's
    /// confirmation codes (<c>MEILING_RATE_LIMIT_WRONG_CODES_PER_CALLER_PER_DAY</c>); counted by
    /// <see cref="IDailyAllowanceGrain.AdmitCode"/> and <see cref="IDailyAllowanceGrain.SettleCode"/>.
    /// </summary>
    WrongCodesByCaller,

    /// <summary>The wrong member codes one till's key presents (<c>MEILING_RATE_LIMIT_WRONG_MEMBER_CODES_PER_STAFF_KEY_PER_DAY</c>), as <see cref="WrongCodesByCaller"/>.</summary>
    WrongMemberCodesByStaffKey,

    /// <summary>The wrong member codes all of one merchant's keys present together (<c>MEILING_RATE_LIMIT_WRONG_MEMBER_CODES_PER_MERCHANT_PER_DAY</c>), as <see cref="WrongCodesByCaller"/>.</summary>
    WrongMemberCodesByMerchant,
}
