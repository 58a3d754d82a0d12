namespace MeiLing.Grains.DataRights;

/// <summary>What a confirm-request code is good for: one request, named by its type and id in the text the user reads.</summary>
public static class ConfirmationScope
{
    public static string Of(DataRightsRequestType type, string requestId) => $"{Name(type)} {requestId}";

    /// <summary>The type of the request a scope names; null for a scope that names none.</summary>
    public static DataRightsRequestType? TypeOf(string scope)
    {
        foreach (var type in Enum.GetValues<DataRightsRequestType>())
        {
            if (scope.StartsWith(Name(type) + " ", StringComparison.Ordinal))
            {
                return type;
            }
        }

        return null;
    }

    private static string Name(DataRightsRequestType type) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(type.ToString());
}
