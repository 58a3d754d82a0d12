using System.Net.Http.Headers;
using System.Text.Json;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;
using MeiLing.Tests.Infrastructure.Logging;
using MeiLing.Tests.Users;
using MeiLing.Tests.Webhooks;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace MeiLing.Tests.Security;

/// <summary>
/// P4.4: a user's whole life on the platform, through the API, writes none of their personal data —
/// and no credential — into any log line of the API host or the silos, at open log levels.
/// </summary>
[Collection(LogCaptureCollection.Name)]
public sealed class NoPersonalDataInLogsTests(LogCaptureFixture platform, ITestOutputHelper output)
{
    [Fact]
    public async Task P4_4_No_personal_data_in_logs_over_a_full_user_journey()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var person = new Dictionary<string, string>
        {
            ["phone"] = UserApiClient.NewPhone(),
            ["password"] = $"pw-{tag}-secret",
            ["nickname"] = $"晓梅{tag}",
            ["birthDate"] = "1991-03-17",
            ["recipientName"] = $"韩梅梅{tag}",
            ["deliveryPhone"] = UserApiClient.NewPhone(),
            ["address"] = $"西安市碑林区{tag}路 7 号",
            ["doorNumber"] = $"D{tag}-1201",
            ["ticketSubject"] = $"投诉{tag}",
            ["latitude"] = "34.2612345",
            ["longitude"] = "108.9412345",
            ["userAgent"] = $"MeiLingApp/{tag} (iPhone; iOS 18)",
        };
        var secrets = await LiveAJourneyAsync(person);

        var lines = platform.Logs.Lines;
        var needles = person.Values.Concat(secrets).SelectMany(Spellings).Distinct().ToList();
        var hits = lines
            .SelectMany(line => needles.Where(needle => line.Texts().Any(text => text.Contains(needle, StringComparison.Ordinal))).Select(needle => (needle, line)))
            .ToList();

        Report(lines, needles.Count, hits);
        Assert.Contains(lines, line => line.Host == "api");
        Assert.Contains(lines, line => line.Host == "silo");
        Assert.True(hits.Count == 0, string.Join(Environment.NewLine, hits.Take(20).Select(hit => $"'{hit.needle}' in {hit.line} | {string.Join(" | ", hit.line.Values)} | {hit.line.Exception}")));
    }

    // P4.4: a webhook URL's path often carries the merchant's own token. The change audit keeps only the URL's host, and
    // no log line names the path either: the client that delivers writes no request lines.
    [Fact]
    public async Task P4_4_no_log_line_names_the_path_of_a_merchants_webhook_endpoint()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var shop = await platform.OpenShopAsync();
        var token = $"tok{Guid.NewGuid():N}";
        var set = await shop.MerchantClient.PutAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/webhook", new { url = receiver.UrlOf(token) });
        receiver.Trust(token, (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!);
        await shop.PlaceOrderAsync();

        await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" });
        await receiver.WaitForAsync(r => r.Endpoint == token && r.Type == "customer.data_request");

        Assert.DoesNotContain(platform.Logs.Lines, line => line.Texts().Any(text => text.Contains(token, StringComparison.Ordinal)));
    }

    /// <summary>Registers, signs in, consents, moves, orders with delivery, pays, asks support, exports, and leaves; returns the credentials used.</summary>
    private async Task<List<string>> LiveAJourneyAsync(Dictionary<string, string> person)
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var anonymous = platform.Client();
        anonymous.DefaultRequestHeaders.UserAgent.ParseAdd(person["userAgent"]);
        var registered = await anonymous.PostAsJsonAsync("/v1/users", new
        {
            phone = person["phone"],
            password = person["password"],
            nickname = person["nickname"],
            birthDate = person["birthDate"],
            verificationCode = await platform.ObtainCodeAsync(person["phone"], "register"),
        });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var userId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("userId").GetString()!;

        // The refusals too: a taken number, a wrong password, a malformed body, a number where no route wants one.
        Assert.Equal(HttpStatusCode.Conflict, (await anonymous.PostAsJsonAsync("/v1/users", new { phone = person["phone"], password = person["password"], nickname = "again", verificationCode = await platform.ObtainCodeAsync(person["phone"], "register") })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/v1/sessions", new { phone = person["phone"], password = "not the password" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.PostAsync("/v1/users", Json.Raw($"{{\"phone\":\"{person["phone"]}\",\"password\":12345678,\"nickname\":\"{person["nickname"]}\"}}"))).StatusCode);
        await anonymous.GetAsync($"/v1/policies/current?phone={person["phone"]}&name={Uri.EscapeDataString(person["recipientName"])}");

        var signIn = await anonymous.PostAsJsonAsync("/v1/sessions", new { phone = person["phone"], password = person["password"] });
        var token = (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var user = platform.Client();
        user.DefaultRequestHeaders.UserAgent.ParseAdd(person["userAgent"]);
        user.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        await user.SetConsentAsync(userId, "location", true, version);
        Assert.Equal(HttpStatusCode.Created, (await user.PostLocationAsync(userId, double.Parse(person["latitude"], System.Globalization.CultureInfo.InvariantCulture), double.Parse(person["longitude"], System.Globalization.CultureInfo.InvariantCulture))).StatusCode);

        var merchant = await platform.CreateMerchantAsync($"Shop {person["nickname"][..2]}");
        var merchantClient = platform.Client(merchant.ApiKey);
        await merchantClient.AddProductAsync(merchant.MerchantId, "TEA-1", "Green tea", CommerceApiClient.TeaPrice);
        var placed = await merchantClient.PostAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/orders", new
        {
            userId,
            items = new[] { new { sku = "TEA-1", quantity = 2 } },
            delivery = new { recipientName = person["recipientName"], gender = "female", phone = person["deliveryPhone"], address = person["address"], doorNumber = person["doorNumber"] },
        });
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).Id();
        Assert.Equal(HttpStatusCode.Created, (await user.PayAsync(orderId, "wechat", 2 * CommerceApiClient.TeaPrice)).StatusCode);
        await merchantClient.GetAsync($"/v1/orders/{orderId}");

        var support = await platform.EnrolStaffAsync("Agent Logs", "support");
        var supportClient = platform.Client(support.ApiKey);
        var ticket = await user.PostAsJsonAsync($"/v1/users/{userId}/tickets", new
        {
            subject = person["ticketSubject"],
            message = $"请联系 {person["recipientName"]}，电话 {person["deliveryPhone"]}，地址 {person["address"]} {person["doorNumber"]}",
        });
        Assert.Equal(HttpStatusCode.Created, ticket.StatusCode);
        var ticketId = (await ticket.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString()!;
        await supportClient.PostAsJsonAsync($"/v1/tickets/{ticketId}/messages", new { message = $"已核实 {person["nickname"]}" });
        await supportClient.GetAsync($"/v1/users/{userId}");
        await supportClient.GetAsync($"/v1/users/{userId}/orders");

        var access = await user.FileRequestAsync(userId, new { type = "access" });
        Assert.Equal("completed", (await user.WaitUntilDoneAsync(access.RequestId())).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync($"/v1/requests/{access.RequestId()}/export")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync($"/v1/requests/{access.RequestId()}/export?format=html")).StatusCode);

        var cancellation = await user.FileRequestAsync(userId, new { type = "cancellation" });
        Assert.Equal("completed", (await supportClient.WaitUntilDoneAsync(cancellation.RequestId())).GetProperty("status").GetString());

        // Let the activity log's batches and the request grains' last writes land before reading the lines.
        await Task.Delay(TimeSpan.FromSeconds(1));
        return [token, merchant.ApiKey, support.ApiKey];
    }

    // A value may reach a log line as sent, URL-encoded (a path or query string) or JSON-escaped.
    private static IEnumerable<string> Spellings(string value) =>
        [value, Uri.EscapeDataString(value), JsonSerializer.Serialize(value).Trim('"')];

    private void Report(IReadOnlyList<CapturedLogLine> lines, int needles, List<(string Needle, CapturedLogLine Line)> hits)
    {
        output.WriteLine($"Captured {lines.Count} log lines ({lines.Count(line => line.Host == "api")} API, {lines.Count(line => line.Host == "silo")} silo) " +
            $"from {lines.Select(line => line.Category).Distinct().Count()} categories; scanned for {needles} values: {hits.Count} hits.");
        foreach (var level in lines.GroupBy(line => line.Level).OrderBy(group => group.Key))
        {
            output.WriteLine($"  {level.Key}: {level.Count()}");
        }

        foreach (var category in lines.GroupBy(line => (line.Host, line.Category, line.Level)).OrderBy(group => group.Key))
        {
            output.WriteLine($"  [{category.Key.Host}] {category.Key.Category} {category.Key.Level}: {category.Count()} — e.g. {category.First().Message.ReplaceLineEndings(" ")[..Math.Min(120, category.First().Message.Length)]}");
        }
    }
}
