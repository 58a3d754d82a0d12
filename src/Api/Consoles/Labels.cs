using System.Globalization;
using MeiLing.Grains.Consents;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Merchants;

namespace MeiLing.Api.Consoles;

/// <summary>The consoles' words for the platform's values: Chinese first, English beside it.</summary>
public static class Labels
{
    private static readonly TimeZoneInfo China = TimeZoneInfo.CreateCustomTimeZone("CST", TimeSpan.FromHours(8), "China Standard Time", "CST");

    /// <summary>A moment in China Standard Time (the policy's jurisdiction), to the minute.</summary>
    public static string When(DateTimeOffset? at) =>
        at is { } value ? TimeZoneInfo.ConvertTime(value, China).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " CST" : "—";

    public static string Type(DataRightsRequestType type) => type switch
    {
        DataRightsRequestType.Access => "查阅 Access",
        DataRightsRequestType.Correction => "更正 Correction",
        DataRightsRequestType.Deletion => "删除 Deletion",
        DataRightsRequestType.Withdrawal => "撤回同意 Withdrawal",
        DataRightsRequestType.Cancellation => "注销账户 Cancellation",
        _ => type.ToString(),
    };

    public static string Status(DataRightsRequestStatus status) => status switch
    {
        DataRightsRequestStatus.AwaitingConfirmation => "待确认 Awaiting confirmation",
        DataRightsRequestStatus.Received => "已收到 Received",
        DataRightsRequestStatus.InProgress => "处理中 In progress",
        DataRightsRequestStatus.Completed => "已完成 Completed",
        DataRightsRequestStatus.Rejected => "已驳回 Rejected",
        DataRightsRequestStatus.Cancelled => "已取消 Cancelled",
        _ => status.ToString(),
    };

    public static string StatusTone(DataRightsRequestStatus status) => status switch
    {
        DataRightsRequestStatus.Completed => "ok",
        DataRightsRequestStatus.AwaitingConfirmation => "warn",
        DataRightsRequestStatus.Rejected or DataRightsRequestStatus.Cancelled => "bad",
        _ => "",
    };

    /// <summary>How the notice to one recipient of a request is going, with its attempts: the user's and support's view alike.</summary>
    public static string Recipient(RequestRecipient recipient) => recipient.Status switch
    {
        RequestRecipient.Confirmed => $"已确认 confirmed {When(recipient.ConfirmedAt)}",
        RequestRecipient.Notified => $"已送达，未确认 notified {When(recipient.NotifiedAt)}, not confirmed",
        RequestRecipient.Failed => $"送达失败 failed after {recipient.Attempts} attempts, last {When(recipient.LastAttemptAt)}; not confirmed",
        RequestRecipient.Retrying => $"重试中 retrying: {recipient.Attempts} attempts, next {When(recipient.NextAttemptAt)}",
        RequestRecipient.NotTold => "未发送 not sent: its endpoint takes no event of this kind, so no confirmation is awaited",
        RequestRecipient.Closed => "已关闭 closed: the merchant has ended its business and its data at the platform is erased; nothing is sent to it, and it can confirm nothing",
        _ => "待发送 waiting to be sent",
    };

    public static string RecipientTone(RequestRecipient recipient) => recipient.Status switch
    {
        RequestRecipient.Confirmed or RequestRecipient.NotTold => "ok",
        RequestRecipient.Failed => "bad",
        _ => "warn",
    };

    public static string MerchantStatus(MerchantStatus status) => status switch
    {
        Grains.Merchants.MerchantStatus.Active => "营业中 Active",
        Grains.Merchants.MerchantStatus.Terminating => "关闭中 Closing",
        Grains.Merchants.MerchantStatus.Terminated => "已关闭 Closed",
        _ => status.ToString(),
    };

    /// <summary>A closing merchant whose erasure stalled is the one an operator must look into (P4.3).</summary>
    public static string MerchantStatusTone(MerchantView merchant) => merchant switch
    {
        { ErasureStalled: not null } => "bad",
        { Status: Grains.Merchants.MerchantStatus.Terminating } => "warn",
        _ => "",
    };

    /// <summary>A category a deletion erases, as the API names it (<c>birth-date</c>).</summary>
    public static string Category(ErasableCategory category) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(category.ToString());

    public static string Purpose(ConsentPurpose purpose) => purpose switch
    {
        ConsentPurpose.Location => "位置信息 Location",
        ConsentPurpose.Album => "相册 Photo album",
        ConsentPurpose.Calendar => "日历 Calendar",
        ConsentPurpose.Personalization => "个性化推荐 Personalized recommendations",
        ConsentPurpose.Notifications => "消息推送 Notifications",
        ConsentPurpose.MarketingSharing => "营销共享 Sharing for marketing",
        ConsentPurpose.ThirdPartySources => "第三方来源 Data from third parties",
        _ => purpose.ToString(),
    };

    /// <summary>What each purpose is for, in the policy's words (P1.2, P1.8, P1.9, P1.12).</summary>
    public static string PurposeMeaning(ConsentPurpose purpose) => purpose switch
    {
        ConsentPurpose.Location => "用于附近门店与配送；撤回后立即停止采集并删除已存位置。Nearby stores and delivery; withdrawing stops collection at once and erases stored locations.",
        ConsentPurpose.Album => "用于上传头像与评价图片。Uploading an avatar and review photos.",
        ConsentPurpose.Calendar => "用于预约提醒。Reminders for bookings.",
        ConsentPurpose.Personalization => "根据购买记录推荐商品；关闭后只看到通用内容。Recommendations from your purchases; off, you see the same content as everyone.",
        ConsentPurpose.Notifications => "促销与活动消息（交易通知不受影响）。Offers and events (order notices are not affected).",
        ConsentPurpose.MarketingSharing => "与合作商户共享以便营销。Sharing with partner merchants for their marketing.",
        ConsentPurpose.ThirdPartySources => "从第三方导入地址等信息。Importing addresses and similar data from third parties.",
        _ => "",
    };
}
