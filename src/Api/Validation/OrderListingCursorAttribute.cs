using System.ComponentModel.DataAnnotations;
using MeiLing.Grains.Orders;

namespace MeiLing.Api.Validation;

/// <summary>A cursor an order listing gave out (its <c>nextCursor</c>), exactly as given.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class OrderListingCursorAttribute : ValidationAttribute
{
    public OrderListingCursorAttribute()
        : base("Must be a nextCursor this API gave out, unchanged.")
    {
    }

    public override bool IsValid(object? value) =>
        value is not string cursor || cursor.Length == 0 || OrderCursor.TryDecode(cursor, out _, out _);
}
