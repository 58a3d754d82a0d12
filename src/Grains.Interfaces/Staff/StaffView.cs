namespace MeiLing.Grains.Staff;

/// <summary>
/// A staff member as operators (or, for its own staff, the merchant) see them. <see cref="TopUpLimitPerDayFen"/> is what a
/// cashier may put on member cards in a day (null for everyone else: their top-ups are not limited). <see cref="EnrolledBy"/> is the
/// manager who enrolled them, or the operator who enrolled one of the platform's staff (null: the merchant key, or enrolled
/// before this was recorded). <see cref="TopUpLimitSetAt"/> is when the merchant last set a cashier's limit, and
/// <see cref="TopUpLimitSetBy"/> the manager who did (null with a time: the merchant key; null without: never set, or set
/// before who was recorded). <see cref="OffboardedBy"/> is the manager who offboarded them, or the operator who did
/// (null: the merchant key, or before it was recorded).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.staff-view")]
public sealed record StaffView(
    [property: Id(0)] string StaffId,
    [property: Id(1)] string Name,
    [property: Id(2)] StaffRole Role,
    [property: Id(3)] DateTimeOffset EnrolledAt,
    [property: Id(4)] DateTimeOffset? OffboardedAt = null,
    [property: Id(5)] string? MerchantId = null,
    [property: Id(6)] long? TopUpLimitPerDayFen = null,
    [property: Id(7)] string? EnrolledBy = null,
    [property: Id(8)] DateTimeOffset? TopUpLimitSetAt = null,
    [property: Id(9)] string? TopUpLimitSetBy = null,
    [property: Id(10)] string? OffboardedBy = null);
