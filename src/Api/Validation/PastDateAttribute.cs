using System.ComponentModel.DataAnnotations;

namespace MeiLing.Api.Validation;

/// <summary>A date that is not in the future and not before 1900 (birth dates).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PastDateAttribute : ValidationAttribute
{
    public PastDateAttribute()
        : base("Must be a date between 1900-01-01 and today.")
    {
    }

    public override bool IsValid(object? value) =>
        value is not DateOnly date || (date >= new DateOnly(1900, 1, 1) && date <= DateOnly.FromDateTime(DateTime.UtcNow));
}
