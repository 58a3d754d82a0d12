using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace MeiLing.Tests.Webhooks;

/// <summary>One delivery as the receiver saw it: which endpoint, its headers, body, and whether its signature verified.</summary>
internal sealed record ReceivedWebhook(string Endpoint, string WebhookId, string Body, bool Verified, int Attempt, int Answered)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Type => Json.GetProperty("type").GetString()!;

    public JsonElement Data => Json.GetProperty("data");
}

/// <summary>
/// A merchant's webhook receiver: a real Kestrel server on 127.0.0.1 (a free port the OS picks), one path per
/// endpoint, each verifying every delivery's signature with the StandardWebhooks package under the secret the
/// merchant was given, and answering what the test says for each attempt.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _secrets = new();
    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private readonly Func<ReceivedWebhook, Task<int>> _answer;
    private readonly SemaphoreSlim _arrived = new(0);
    private bool _down;

    private WebhookReceiver(WebApplication app, Func<ReceivedWebhook, Task<int>> answer)
    {
        _app = app;
        _answer = answer;
    }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public string BaseUrl { get; private set; } = "";

    /// <param name="answer">The status to answer a delivery with (0: drop the connection); 200 when null.</param>
    public static async Task<WebhookReceiver> StartAsync(Func<ReceivedWebhook, Task<int>>? answer = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, answer ?? (_ => Task.FromResult(200)));
        app.MapPost("/hooks/{endpoint}", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.BaseUrl = address.TrimEnd('/');
        return receiver;
    }

    /// <summary>A receiver that answers 503 to every delivery until <see cref="ComeBack"/>, then 200: an endpoint down, then back.</summary>
    public static async Task<WebhookReceiver> StartDownAsync()
    {
        var receiver = await StartAsync();
        Volatile.Write(ref receiver._down, true);
        return receiver;
    }

    /// <summary>From now on, deliveries are answered as <see cref="StartAsync"/> was told.</summary>
    public void ComeBack() => Volatile.Write(ref _down, false);

    /// <summary>The URL of one endpoint (one merchant) on this receiver.</summary>
    public string UrlOf(string endpoint) => $"{BaseUrl}/hooks/{endpoint}";

    /// <summary>Tells the receiver the secret an endpoint's deliveries must be signed with.</summary>
    public void Trust(string endpoint, string secret) => _secrets[endpoint] = secret;

    /// <summary>Waits until a received delivery matches, however long the retries take (up to <paramref name="seconds"/>).</summary>
    public async Task<ReceivedWebhook> WaitForAsync(Func<ReceivedWebhook, bool> match, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (Received.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                Assert.Fail($"No such delivery arrived within {seconds} s; received: {string.Join(" | ", Received.Select(r => $"{r.Endpoint} {r.WebhookId} #{r.Attempt} {r.Answered}"))}");
            }

            await _arrived.WaitAsync(left);
        }
    }

    private async Task HandleAsync(string endpoint, HttpRequest request, HttpResponse response)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        var verified = false;
        if (_secrets.TryGetValue(endpoint, out var secret))
        {
            try
            {
                new StandardWebhook(secret).Verify(body, request.Headers);
                verified = true;
            }
            catch (WebhookVerificationException)
            {
            }
        }

        var webhookId = request.Headers["webhook-id"].ToString();
        var attempt = _attempts.AddOrUpdate(webhookId, 1, (_, n) => n + 1);
        var received = new ReceivedWebhook(endpoint, webhookId, body, verified, attempt, 0);
        var status = Volatile.Read(ref _down) ? 503 : await _answer(received);
        Received.Enqueue(received with { Answered = status });
        _arrived.Release();
        if (status == 0)
        {
            // No answer at all: the connection drops, as when the sender's silo dies mid-attempt.
            request.HttpContext.Abort();
            return;
        }

        response.StatusCode = status;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrived.Dispose();
    }
}
