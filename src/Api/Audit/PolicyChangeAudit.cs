using System.Security.Claims;

namespace MeiLing.Api.Audit;

/// <summary>
/// An operator's publication of a privacy policy version (P6.1, P1.7): whether it reduces rights decides whether every user
/// must consent again before anything more of theirs is processed, so who published which version, and what they said of
/// it, is written to the audit log before it is published. If the log cannot take the entry, nothing is published.
/// </summary>
public static class PolicyChangeAudit
{
    public const string PublicationRequested = "policy:publication-requested";

    public static Task RecordAsync(IClusterClient cluster, ClaimsPrincipal caller, string version, bool reducesRights) =>
        ChangeAudit.AppendAsync(cluster, caller, PublicationRequested, new PolicyPublicationDetail(version, reducesRights));

    private sealed record PolicyPublicationDetail(string Version, bool ReducesRights);
}
