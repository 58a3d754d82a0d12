using System.Globalization;
using System.Text;
using System.Text.Json;
using MeiLing.Api.Security;
using Microsoft.AspNetCore.WebUtilities;

namespace MeiLing.Api.Problems;

/// <summary>
/// Recognises the response Kestrel writes itself when it refuses a request — a 4xx or 5xx header block
/// with <c>Content-Length: 0</c>, <c>Connection: close</c> and no content type, which this API never
/// sends: every error it answers has a problem+json body — and builds the problem+json response that
/// replaces it, keeping its status and its other headers.
/// </summary>
internal static class ServerRejectionResponse
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    public static bool TryRewrite(ReadOnlySpan<byte> written, out byte[] problem)
    {
        problem = [];
        if (written.Length is < 16 or > 4096
            || !(written.StartsWith("HTTP/1.1 "u8) || written.StartsWith("HTTP/1.0 "u8))
            || written[9] is not ((byte)'4' or (byte)'5')
            || !written.EndsWith(HeaderEnd))
        {
            return false;
        }

        var lines = Encoding.ASCII.GetString(written[..^HeaderEnd.Length]).Split("\r\n");
        var headers = lines.Skip(1).ToList();
        if (!headers.Contains("Content-Length: 0", StringComparer.OrdinalIgnoreCase)
            || !headers.Contains("Connection: close", StringComparer.OrdinalIgnoreCase)
            || headers.Any(header => header.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))
            || !int.TryParse(lines[0].AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            return false;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["type"] = ProblemTypes.MalformedRequest,
            ["title"] = ReasonPhrases.GetReasonPhrase(status),
            ["status"] = status,
            ["detail"] = "The server could not read this request: its request line or headers are malformed or too large.",
        });
        var head = new StringBuilder(lines[0]).Append("\r\n");
        foreach (var header in headers.Where(header => !header.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)))
        {
            head.Append(header).Append("\r\n");
        }

        head.Append("Content-Type: application/problem+json\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n")
            .Append("X-Content-Type-Options: nosniff\r\n")
            .Append("X-Frame-Options: DENY\r\n")
            .Append("Referrer-Policy: same-origin\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Security-Policy: {SecurityHeaders.ApiPolicy}\r\n")
            .Append("Cache-Control: no-store\r\n\r\n");
        problem = [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
        return true;
    }
}
