using Microsoft.AspNetCore.Http.Features;

namespace MeiLing.Api.Problems;

/// <summary>
/// The 64 KB body limit of the contract. Kestrel enforces it for every body (its own limit is set to the
/// same number); this middleware refuses a declared oversized body before anything reads it, on any server.
/// </summary>
public static class RequestBodyLimit
{
    public const int MaxBytes = 65_536;

    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Request.ContentLength > MaxBytes)
            {
                throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxBytes;
            }

            return next(context);
        });
}
