namespace MeiLing.Grains.DataRights;

/// <summary>What a confirm-request code is good for: one request, named by its type and id in the text the user reads.</summary>
public static class ConfirmationScope
{
    public static string Of(DataRightsRequestType type, string requestId) => $"{Name(type)} {requestId}";

    /// <summary>
    /// P1.7, P4.4: what confirming the request in <paramref name="scope"/> does, in the words of the text the user reads.
    /// The user reads the code out to an agent; named by its type alone ("cancellation"), a request to close the account
    /// read like any check of who is calling, and an agent saying "a code to verify you" got the code for the erasure.
    /// </summary>
    public static string ConsequenceOf(string scope) =>
        Enum.GetValues<DataRightsRequestType>().Where(type => scope.StartsWith(Name(type) + " ", StringComparison.Ordinal))
            .Select(type => (DataRightsRequestType?)type).FirstOrDefault() switch
        {
            DataRightsRequestType.Cancellation => "注销您的美零账户，删除您的全部数据，不可恢复",
            DataRightsRequestType.Deletion => "删除您的部分个人数据，不可恢复",
            DataRightsRequestType.Correction => "更正您的个人信息（更正收货信息时，未完成的订单将改寄新地址）",
            DataRightsRequestType.Withdrawal => "撤回您的同意，相关处理将停止",
            DataRightsRequestType.Access => "为您导出个人数据副本",
            _ => "处理这项数据权利请求",
        };

    private static string Name(DataRightsRequestType type) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(type.ToString());
}
