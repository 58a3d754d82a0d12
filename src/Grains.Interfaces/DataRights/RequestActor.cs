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

    /// <summary>The platform itself, e.g. erasing a child's data when no guardian confirmed in time (P5.1).</summary>
    public const string PlatformRole = "platform";

    /// <summary>
    /// The platform's filer id of the erasure it files on a guardian's verified withdrawal (P5.1): its filing answers with the
    /// follow-up code, which the guardian, who has no account, follows the erasure with.
    /// </summary>
    public const string GuardianWithdrawalFiler = "guardian-withdrawal";

    /// <summary>The platform's filer id of the erasure it files when no guardian confirmed in time (P5.1).</summary>
    public const string GuardianDeadlineFiler = "guardian-deadline";

    public bool IsStaff => Role is SupportRole or OperatorRole;
}
