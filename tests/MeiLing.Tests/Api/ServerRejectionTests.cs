using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MeiLing.Tests.Api;

/// <summary>
/// Errors Kestrel answers before any middleware runs are problem+json too. The test server parses no
/// HTTP, so this API host runs on Kestrel and the request goes over a raw socket (HttpClient will not
/// send a NUL in a path).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ServerRejectionTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_nul_in_the_path_is_refused_by_the_server_with_problem_json()
    {
        // A port the system picks on 127.0.0.1: Kestrel's default (localhost:5000) collides with any other host.
        await using var api = platform.Api.WithWebHostBuilder(host => host.UseSetting(Microsoft.AspNetCore.Hosting.WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0"));
        api.UseKestrel();
        api.StartServer();
        var address = new Uri(api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var refused = await RawAsync(address, "GET /v1/users/%00 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var ping = await RawAsync(address, "GET /v1/ping HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        var (head, body) = Split(refused);
        Assert.StartsWith("HTTP/1.1 400", head, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/problem+json", head, StringComparison.OrdinalIgnoreCase);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.EndsWith("/malformed-request", problem.TypeOf(), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", ping, StringComparison.Ordinal);
        Assert.Contains("\"pong\"", ping, StringComparison.Ordinal);
    }

    private static async Task<string> RawAsync(Uri address, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await reader.ReadToEndAsync(timeout.Token);
    }

    private static (string Head, string Body) Split(string response)
    {
        var end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (response[..end], response[(end + 4)..]);
    }
}
