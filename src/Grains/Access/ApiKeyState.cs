namespace MeiLing.Grains.Access;

/// <summary>Persisted state of one issued API key (stored under the key's hash, never the key).</summary>
public sealed class ApiKeyState
{
    public CallerRole Role { get; set; }

    public string SubjectId { get; set; } = "";

    public DateTimeOffset IssuedAt { get; set; }

    /// <summary>For a merchant's staff member's key: who they are and what they do at the till.</summary>
    public string? StaffId { get; set; }

    public Staff.StaffRole? StaffRole { get; set; }

    public void Grant(ApiKeyGrant grant)
    {
        Role = grant.Role;
        SubjectId = grant.SubjectId;
        IssuedAt = grant.IssuedAt;
        StaffId = grant.StaffId;
        StaffRole = grant.StaffRole;
    }

    public ApiKeyGrant ToGrant() => new(Role, SubjectId, IssuedAt, StaffId, StaffRole);
}
