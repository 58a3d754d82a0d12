using System.ComponentModel.DataAnnotations;
using MeiLing.Grains.Users;

namespace MeiLing.Api.Validation;

/// <summary>A mainland China mobile number (P1.1), in any of the forms <see cref="PhoneNumber"/> accepts.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class MainlandMobileAttribute : ValidationAttribute
{
    public MainlandMobileAttribute()
        : base("Must be a mainland mobile number: 11 digits starting 13-19.")
    {
    }

    public override bool IsValid(object? value) => value is null || PhoneNumber.TryNormalize(value as string, out _);
}
