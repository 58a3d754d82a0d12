using System.ComponentModel.DataAnnotations;
using MeiLing.ServiceDefaults;

namespace MeiLing.Api.Validation;

/// <summary>
/// A webhook endpoint: https, or plain http to a loopback address, never to a private, link-local or reserved
/// address (SSRF); the silos check every address they connect to again, after DNS.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class WebhookUrlAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is not string url || WebhookTargets.Problem(url) is not { } problem ? ValidationResult.Success : new ValidationResult(problem, validationContext.MemberName is { } member ? [member] : null);
}
