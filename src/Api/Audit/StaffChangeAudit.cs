using System.Security.Claims;
using System.Text.Json;
using MeiLing.Grains.Staff;

namespace MeiLing.Api.Audit;

/// <summary>
/// An operator's enrolment or offboarding of a member of the platform's staff (P1.7): a support key reads and acts on any
/// user's data, so who minted it, and who ended it, is written to the append-only audit log before it is done; if the log
/// cannot take the entry, nothing is done. Without it only the staff record, which the audit chain does not cover, linked
/// two agents' keys (one filing, the other approving) to the one operator who minted both. Written as asked.
/// </summary>
public static class StaffChangeAudit
{
    public const string Enrolled = "staff:enrolment-requested";
    public const string Offboarded = "staff:offboarding-requested";

    public static Task RecordAsync(IClusterClient cluster, ClaimsPrincipal caller, string action, string staffId, StaffRole? role = null) =>
        ChangeAudit.AppendAsync(cluster, caller, action,
            new StaffChangeDetail(staffId, role is { } named ? JsonNamingPolicy.KebabCaseLower.ConvertName(named.ToString()) : null));

    private sealed record StaffChangeDetail(string StaffId, string? Role);
}
