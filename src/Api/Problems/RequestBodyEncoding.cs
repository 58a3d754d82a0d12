using System.Text;
using Microsoft.Net.Http.Headers;

namespace MeiLing.Api.Problems;

/// <summary>
/// A body whose declared charset is no known encoding is 415, like any body the API cannot read: the
/// framework's JSON reader would throw an <see cref="InvalidOperationException"/> for it, which is no
/// fault of the server (found by the fuzz test). A known charset written as a quoted string
/// (<c>charset="utf-8"</c>, valid HTTP) is handed on bare: the reader threw for the quoted form too.
/// </summary>
public static class RequestBodyEncoding
{
    public static IApplicationBuilder UseKnownRequestCharset(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // A charset named with no value (`charset=`) is as unreadable as an unknown one: the reader threw for it too.
            if (MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
                && mediaType.Parameters.FirstOrDefault(parameter => parameter.Name.Equals("charset", StringComparison.OrdinalIgnoreCase)) is { } charset)
            {
                var declared = charset.Value.Value ?? "";
                var bare = declared.Trim('"').Trim();
                if (!IsKnown(bare))
                {
                    throw new BadHttpRequestException("Unknown charset.", StatusCodes.Status415UnsupportedMediaType);
                }

                if (bare != declared)
                {
                    charset.Value = bare;
                    context.Request.ContentType = mediaType.ToString();
                }
            }

            return next(context);
        });

    private static bool IsKnown(string charset)
    {
        if (charset.Length == 0)
        {
            return false;
        }

        try
        {
            _ = Encoding.GetEncoding(charset);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
