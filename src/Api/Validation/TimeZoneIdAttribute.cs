using System.ComponentModel.DataAnnotations;
using MeiLing.Grains.Merchants;

namespace MeiLing.Api.Validation;

/// <summary>An IANA time zone id this host knows (<c>Asia/Shanghai</c>, <c>Asia/Hong_Kong</c>, …).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class TimeZoneIdAttribute : ValidationAttribute
{
    public TimeZoneIdAttribute()
        : base("Must be an IANA time zone id, e.g. Asia/Shanghai.")
    {
    }

    public override bool IsValid(object? value) => value is null || (value is string id && id.Contains('/', StringComparison.Ordinal) && MerchantTimeZones.IsKnown(id));
}
