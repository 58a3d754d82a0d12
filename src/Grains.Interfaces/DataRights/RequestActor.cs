namespace MeiLing.Grains.DataRights;

/// <summary>Who acts on a request, as the API authenticated them: a role and the id of the user or staff key.</summary>
[GenerateSerializer, Immutable, Alias("meiling.request-actor")]
public sealed record RequestActor(
    [property: Id(0)] string Role,
    [property: Id(1)] string Id)
{
    public const string UserRole = "user";
    public const string SupportRole = "support";
    public const string OperatorRole = "operator";

    public bool IsStaff => Role is SupportRole or OperatorRole;
}
