namespace MeiLing.Grains.Access;

/// <summary>Persisted state of one issued API key (stored under the key's hash, never the key).</summary>
public sealed class ApiKeyState
{
    public CallerRole Role { get; set; }

    public string SubjectId { get; set; } = "";

    public DateTimeOffset IssuedAt { get; set; }

    public void Grant(ApiKeyGrant grant)
    {
        Role = grant.Role;
        SubjectId = grant.SubjectId;
        IssuedAt = grant.IssuedAt;
    }

    public ApiKeyGrant ToGrant() => new(Role, SubjectId, IssuedAt);
}
