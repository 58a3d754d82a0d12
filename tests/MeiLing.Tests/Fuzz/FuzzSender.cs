using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;

namespace MeiLing.Tests.Fuzz;

/// <summary>Sends requests to the in-memory API byte for byte as built (no client-side URI normalization), a few at a time.</summary>
internal static class FuzzSender
{
    public static async Task<IReadOnlyList<FuzzResponse>> SendAllAsync(TestServer server, IReadOnlyList<FuzzRequest> requests, int parallelism)
    {
        var responses = new ConcurrentBag<FuzzResponse>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (request, _) =>
            responses.Add(await SendAsync(server, request)));
        return [.. responses];
    }

    private static async Task<FuzzResponse> SendAsync(TestServer server, FuzzRequest request)
    {
        var context = await server.SendAsync(http =>
        {
            http.Request.Method = request.Method;
            http.Request.Path = new PathString(request.Path);
            http.Request.QueryString = new QueryString(request.Query);
            foreach (var (name, value) in request.Headers ?? new Dictionary<string, string>())
            {
                http.Request.Headers[name] = value;
            }

            if (request.Body is { } body)
            {
                // The test server decides whether a request has a body before this callback runs.
                http.Features.Set<IHttpRequestBodyDetectionFeature>(new WithBody());
                http.Request.Body = new MemoryStream(body);
                http.Request.ContentLength = body.Length;
                http.Request.ContentType = request.ContentType;
            }
        });
        using var reader = new StreamReader(context.Response.Body);
        return new FuzzResponse(request, context.Response.StatusCode, context.Response.ContentType, await reader.ReadToEndAsync());
    }

    private sealed class WithBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }
}
