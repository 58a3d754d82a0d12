using System.ComponentModel.DataAnnotations;

namespace MeiLing.Api.Validation;

/// <summary>An absolute http(s) URL, as image references are.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class HttpUrlAttribute : ValidationAttribute
{
    public HttpUrlAttribute()
        : base("Must be an absolute http or https URL.")
    {
    }

    public override bool IsValid(object? value) =>
        value is null
        || (value is string text && Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp));
}
