using System.Net.Http.Headers;
using System.Text;

namespace MeiLing.Tests.Infrastructure;

/// <summary>Request bodies exactly as written, for sending malformed or odd JSON.</summary>
public static class Json
{
    public static StringContent Raw(string json, string mediaType = "application/json") =>
        new(json, Encoding.UTF8, new MediaTypeHeaderValue(mediaType));
}
