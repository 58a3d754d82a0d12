using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;
using MeiLing.Tests.Users;
using Xunit.Abstractions;

namespace MeiLing.Tests.Fuzz;

/// <summary>
/// Thousands of malformed requests, built from the API's own OpenAPI document, for every operation and
/// every kind of caller: none may fail the server (5xx), every refusal is problem+json, and a bystander
/// user's data stays exactly as it was (P4.4).
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class FuzzTests(FuzzFixture platform, ITestOutputHelper output)
{
    private const int Seed = 20_261_124;

    [Fact]
    public async Task P4_4_malformed_requests_never_fail_the_server_are_refused_as_problems_and_leave_a_bystander_untouched()
    {
        var bystander = await BystanderAsync();
        var (targets, callers) = await ArrangeAsync(bystander);
        var profileBefore = await ProfileAsync(bystander);
        var rowsBefore = await RowsAsync(bystander);

        var document = new OpenApiDocument(await platform.Client().GetFromJsonAsync<JsonElement>("/openapi/v1.json"));
        var requests = new MalformedRequests(document, targets, callers, Seed).All()
            // Signing the fuzzer's own user out (everywhere or of its session), replacing its merchant's key or
            // offboarding its support agent would leave the rest of the run unauthenticated.
            .Where(request => !(request is { Caller: "user", Method: "DELETE", Path: "/v1/sessions" or "/v1/sessions/current" }))
            .Where(request => !(request.Method == "POST" && request.Path.EndsWith("/api-key", StringComparison.Ordinal)))
            .Where(request => !(request.Method == "DELETE" && request.Path.StartsWith("/v1/staff/", StringComparison.Ordinal)))
            .ToList();
        var clock = Stopwatch.StartNew();
        var responses = await FuzzSender.SendAllAsync(platform.Api.Server, requests, parallelism: 4);
        clock.Stop();

        var failures = responses.Where(response => response.Status >= 500).ToList();
        var notProblems = responses.Where(response => response.Status is >= 400 and < 500 && !IsProblem(response)).ToList();
        Report(responses, document.Operations().Count, clock.Elapsed, failures, notProblems);
        Assert.True(requests.Count >= 5_000, $"only {requests.Count} requests");
        Assert.True(failures.Count == 0, "5xx:" + Environment.NewLine + Describe(failures));
        Assert.True(notProblems.Count == 0, "4xx without problem+json:" + Environment.NewLine + Describe(notProblems));
        var rowsAfter = await RowsAsync(bystander);
        var profileAfter = await ProfileAsync(bystander);
        output.WriteLine($"Bystander: {rowsBefore.Count} rows mentioning them (grain state decoded) " +
            $"{(rowsAfter.SequenceEqual(rowsBefore) ? "unchanged" : "CHANGED")}, profile {(profileAfter == profileBefore ? "unchanged" : "CHANGED")}.");
        Assert.Equal(rowsBefore, rowsAfter);
        Assert.Equal(profileBefore, profileAfter);
    }

    /// <summary>The fuzzer's own merchant, support agent and user, each with something to aim at.</summary>
    private async Task<(FuzzTargets Targets, List<FuzzCaller> Callers)> ArrangeAsync(Bystander bystander)
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var merchant = await platform.CreateMerchantAsync("Fuzz Shop");
        var merchantClient = platform.Client(merchant.ApiKey);
        await merchantClient.AddProductAsync(merchant.MerchantId, "TEA-1", "Green tea", CommerceApiClient.TeaPrice);
        var support = await platform.EnrolStaffAsync("Fuzz Agent", "support");
        var user = await platform.RegisterUserAsync();
        var session = await platform.SignInAsync(user);
        var userClient = Bearer(session.Token);
        var receipt = await userClient.SetConsentAsync(user.UserId, "location", true, version);
        var order = await merchantClient.PostAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/orders", new
        {
            userId = user.UserId,
            items = new[] { new { sku = "TEA-1", quantity = 1 } },
        });
        var ticket = await userClient.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = "Fuzz", message = "Hello" });
        var request = await userClient.FileRequestAsync(user.UserId, new { type = "access" });

        var targets = new FuzzTargets(
            Own: new Dictionary<string, string>
            {
                ["userId"] = user.UserId,
                ["merchantId"] = merchant.MerchantId,
                ["orderId"] = (await order.Content.ReadFromJsonAsync<JsonElement>()).Id(),
                ["ticketId"] = (await ticket.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString()!,
                ["requestId"] = request.RequestId(),
                ["receiptId"] = receipt.ReceiptId,
                ["staffId"] = support.StaffId,
                ["purpose"] = "location",
            },
            Bystander: bystander.Ids,
            Values: new Dictionary<string, string>
            {
                ["phone"] = user.Phone,
                ["guardianPhone"] = user.Phone,
                ["password"] = "not the password",
                ["userId"] = user.UserId,
                ["policyVersion"] = version,
                ["version"] = "fuzz-1",
                ["sku"] = "TEA-1",
                ["avatarUrl"] = "https://example.com/a.png",
                ["imageUrl"] = "https://example.com/a.png",
                ["region"] = "CN",
                ["categories"] = "locations",
                ["purposes"] = "album",
                ["method"] = "marked",
            });
        List<FuzzCaller> callers =
        [
            new("operator", [Headers("X-Api-Key", PlatformFixture.OperatorKey)]),
            new("merchant", [Headers("X-Api-Key", merchant.ApiKey)]),
            new("support", [Headers("X-Api-Key", support.ApiKey)]),
            new("user", [Headers("Authorization", $"Bearer {session.Token}")]),
            new("none", []),
            new("forged",
            [
                Headers("X-Api-Key", "mk_" + new string('A', 43)),
                Headers("X-Api-Key", new string('k', 300)),
                // alg "none", claiming to be a user: must never be accepted.
                Headers("Authorization", "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ1c3JfeCIsInJvbGUiOiJ1c2VyIiwic2dlbiI6MH0."),
                Headers("Authorization", "Bearer " + new string('a', 5_000)),
                Headers("Authorization", "Basic dXNlcjpwYXNz"),
                Headers("Cookie", "meiling_session=garbage"),
            ]),
        ];
        return (targets, callers);
    }

    private sealed record Bystander(string UserId, string Token, Dictionary<string, string> Ids);

    /// <summary>A user with a profile, consents, a location, a ticket and a completed request, whom no fuzzed request may change.</summary>
    private async Task<Bystander> BystanderAsync()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync(new { birthDate = "1988-08-08" });
        var session = await platform.SignInAsync(user);
        var client = Bearer(session.Token);
        var receipt = await client.SetConsentAsync(user.UserId, "location", true, version);
        await client.PostLocationAsync(user.UserId);
        var ticket = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = "Mine", message = "Private" });
        var request = await client.FileRequestAsync(user.UserId, new { type = "access" });
        await client.WaitUntilDoneAsync(request.RequestId());
        return new Bystander(user.UserId, session.Token, new Dictionary<string, string>
        {
            ["userId"] = user.UserId,
            ["ticketId"] = (await ticket.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString()!,
            ["requestId"] = request.RequestId(),
            ["receiptId"] = receipt.ReceiptId,
        });
    }

    /// <summary>The bystander's profile as they read it; reading it is activity (P1.3), so let its entry land.</summary>
    private async Task<string> ProfileAsync(Bystander bystander)
    {
        var profile = await Bearer(bystander.Token).GetStringAsync($"/v1/users/{bystander.UserId}");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        return profile;
    }

    /// <summary>
    /// Every row mentioning the bystander, grain state decoded. Left out: the audit log, which records every
    /// support call that names a user, malformed or not, by design (P1.7); and other users' activity logs,
    /// which record the paths they asked for (P1.3), the bystander's id included. The bystander's own
    /// activity is compared whole.
    /// </summary>
    private async Task<IReadOnlyList<string>> RowsAsync(Bystander bystander) =>
    [
        .. await platform.Database.RowsMentioningAsync(bystander.UserId, "audit_log", "user_activity"),
        "user_activity: " + await platform.Database.ScalarAsync<string>(
            "SELECT string_agg(activity::text, E'\\n' ORDER BY activity::text) FROM user_activity activity WHERE user_id = $1", bystander.UserId),
    ];

    private HttpClient Bearer(string token)
    {
        var client = platform.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static Dictionary<string, string> Headers(string name, string value) => new() { [name] = value };

    private static bool IsProblem(FuzzResponse response)
    {
        if (response.Request.Method == "HEAD")
        {
            return true;
        }

        if (response.ContentType?.StartsWith(Problems.MediaType, StringComparison.Ordinal) != true)
        {
            return false;
        }

        try
        {
            var problem = JsonDocument.Parse(response.Body).RootElement;
            return problem.TryGetProperty("type", out _) && problem.TryGetProperty("title", out _)
                && problem.TryGetProperty("status", out var status) && status.GetInt32() == response.Status;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void Report(IReadOnlyList<FuzzResponse> responses, int operations, TimeSpan elapsed, List<FuzzResponse> failures, List<FuzzResponse> notProblems)
    {
        output.WriteLine($"Fuzz (seed {Seed}): {responses.Count} requests over {operations} operations and " +
            $"{responses.Select(response => response.Request.Caller).Distinct().Count()} callers in {elapsed.TotalSeconds:F1} s; " +
            $"{failures.Count} 5xx, {notProblems.Count} 4xx without problem+json.");
        output.WriteLine("Status histogram: " + string.Join(", ", responses.GroupBy(response => response.Status).OrderBy(group => group.Key).Select(group => $"{group.Key}: {group.Count()}")));
        output.WriteLine("By caller: " + string.Join(", ", responses.GroupBy(response => response.Request.Caller).Select(group => $"{group.Key}: {group.Count()}")));

        // How deep the fuzzer got: an operation that never answered 2xx or 400 was only ever refused at the door.
        var byOperation = responses.Where(response => response.Request.Kind != "wrong method").GroupBy(response => response.Request.Operation).ToList();
        output.WriteLine($"Operations answering 2xx at least once: {byOperation.Count(group => group.Any(response => response.Status < 300))}/{operations}; " +
            $"reaching validation (400): {byOperation.Count(group => group.Any(response => response.Status == 400))}/{operations}.");
        output.WriteLine("Never 2xx: " + string.Join("; ", byOperation.Where(group => group.All(response => response.Status >= 300)).Select(group => group.Key).Order()));
    }

    private static string Describe(List<FuzzResponse> responses) =>
        string.Join(Environment.NewLine, responses
            .GroupBy(response => (response.Request.Operation, response.Request.Kind, response.Status))
            .Take(40)
            .Select(group => $"{group.Key.Status} ×{group.Count()} {group.First().Request} → {group.First().ContentType} {group.First().Body[..Math.Min(200, group.First().Body.Length)]}"));
}
