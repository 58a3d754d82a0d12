using System.ComponentModel.DataAnnotations;
using MeiLing.Grains.Identity;

namespace MeiLing.Api.Validation;

/// <summary>A verification id as <c>POST /v1/verification-codes</c> hands it out (<see cref="VerificationIds"/>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class VerificationIdFormatAttribute : ValidationAttribute
{
    public VerificationIdFormatAttribute()
        : base("A verification id as POST /v1/verification-codes hands it out (vrf_ and 32 hex digits).")
    {
    }

    public override bool IsValid(object? value) => value is null || VerificationIds.IsWellFormed(value as string);
}
