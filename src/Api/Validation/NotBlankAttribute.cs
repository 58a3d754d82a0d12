using System.ComponentModel.DataAnnotations;

namespace MeiLing.Api.Validation;

/// <summary>
/// An optional text that, when given, has more than white space: trimmed, it would otherwise become an empty
/// value that its length limits had let through.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class NotBlankAttribute : ValidationAttribute
{
    public NotBlankAttribute()
        : base("Must not be blank.")
    {
    }

    public override bool IsValid(object? value) => value is not string text || !string.IsNullOrWhiteSpace(text);
}
