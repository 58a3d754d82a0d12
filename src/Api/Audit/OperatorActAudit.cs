using System.Security.Claims;
using MeiLing.Api.Security;

namespace MeiLing.Api.Audit;

/// <summary>
/// An operator's hand in what is otherwise a merchant's own business (P1.7): sending a webhook delivery again (to the
/// endpoint the merchant has now, which an operator may have set) and adding, archiving or editing a merchant's product. Written
/// to the audit log before it is done, with what it names; a merchant's own acts are its own and write nothing here.
/// </summary>
public static class OperatorActAudit
{
    public const string DeliveryRetried = "webhook-delivery:retry-requested";
    public const string ProductAdded = "catalogue:add-requested";
    public const string ProductArchived = "catalogue:archive-requested";
    public const string ProductEdited = "catalogue:edit-requested";

    public static Task RecordAsync(IClusterClient cluster, ClaimsPrincipal caller, string action, OperatorActDetail detail) =>
        caller.IsInRole(Roles.Operator) ? ChangeAudit.AppendAsync(cluster, caller, action, detail) : Task.CompletedTask;
}

/// <summary>What an operator's act names: a delivery, or a merchant's product.</summary>
public sealed record OperatorActDetail(string? DeliveryId = null, string? MerchantId = null, string? Sku = null);
