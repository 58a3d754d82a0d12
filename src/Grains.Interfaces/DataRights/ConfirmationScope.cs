namespace MeiLing.Grains.DataRights;

/// <summary>What a confirm-request code is good for: one request, named by its type and id in the text the user reads.</summary>
public static class ConfirmationScope
{
    public static string Of(DataRightsRequestType type, string requestId) =>
        $"{System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(type.ToString())} {requestId}";
}
