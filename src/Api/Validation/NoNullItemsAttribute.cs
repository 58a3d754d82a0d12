using System.Collections;
using System.ComponentModel.DataAnnotations;

namespace MeiLing.Api.Validation;

/// <summary>
/// A list with no null entries. Nullable annotations refuse a null member, not a null item: without this,
/// <c>"items": [null]</c> reached the handlers (found by the fuzz test).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class NoNullItemsAttribute : ValidationAttribute
{
    public NoNullItemsAttribute()
        : base("Items may not be null.")
    {
    }

    public override bool IsValid(object? value) => value is not IEnumerable items || items.Cast<object?>().All(item => item is not null);
}
