using System.Text.Json;
using MeiLing.Grains.Audit;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Platform;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;
using MeiLing.Tests.Legal;

namespace MeiLing.Tests.Users;

/// <summary>
/// P1.7, P1.3: a user sees who at the platform looked at or acted on their data (<c>GET /v1/users/{userId}/access-log</c>,
/// and the export's <c>accessLog</c>), never the agent's id, name or key, nor another user's data.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AccessLogTests(PlatformFixture platform)
{
    [Fact]
    public async Task P1_7_a_user_sees_each_support_look_up_of_their_data_without_the_agents_name()
    {
        var shop = await platform.OpenShopAsync();
        var order = await shop.PlaceOrderAsync();
        var user = shop.Customer;
        var ticketId = await OpenTicketAsync(shop.CustomerClient, user.UserId);
        var other = await platform.RegisterUserAsync();
        var agent = await platform.EnrolStaffAsync("Agent Wang Xiaohong", "support");
        var support = platform.Client(agent.ApiKey);

        (await support.GetAsync($"/v1/users/{user.UserId}/orders")).EnsureSuccessStatusCode();
        (await support.GetAsync($"/v1/orders/{order.Id()}")).EnsureSuccessStatusCode();
        (await support.GetAsync($"/v1/tickets/{ticketId}")).EnsureSuccessStatusCode();
        (await support.GetAsync($"/v1/users/{other.UserId}")).EnsureSuccessStatusCode();
        var response = await shop.CustomerClient.GetAsync($"/v1/users/{user.UserId}/access-log");
        var othersLog = await (await platform.AsUserAsync(other)).GetFromJsonAsync<JsonElement>($"/v1/users/{other.UserId}/access-log");

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadAsStringAsync();
        var reads = JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray()
            .Where(entry => entry.GetProperty("actorRole").GetString() == "support").ToList();
        // Newest first, each with what it was for.
        Assert.Equal(["GET /v1/tickets/{ticketId}", "GET /v1/orders/{orderId}", "GET /v1/users/{userId}/orders"],
            reads.Select(entry => entry.GetProperty("action").GetString()));
        Assert.Equal(ticketId, reads[0].GetProperty("ticketId").GetString());
        Assert.Equal(order.Id(), reads[1].GetProperty("orderId").GetString());
        Assert.All(reads, entry => Assert.True(entry.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.MinValue));
        // One pseudonym for the one agent in this user's log, another in the other user's: never their id, name or key.
        var pseudonym = Assert.Single(reads.Select(entry => entry.GetProperty("actor").GetString()).Distinct());
        Assert.StartsWith("staff_", pseudonym, StringComparison.Ordinal);
        var othersRead = Assert.Single(othersLog.GetProperty("items").EnumerateArray(), entry => entry.GetProperty("actorRole").GetString() == "support");
        Assert.NotEqual(pseudonym, othersRead.GetProperty("actor").GetString());
        Assert.DoesNotContain(agent.StaffId, body, StringComparison.Ordinal);
        Assert.DoesNotContain("Wang", body, StringComparison.Ordinal);
        Assert.DoesNotContain(agent.ApiKey, body, StringComparison.Ordinal);
        Assert.DoesNotContain(other.UserId, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task P1_7_another_user_cannot_read_my_access_log()
    {
        var user = await platform.RegisterUserAsync();
        var stranger = await platform.AsUserAsync(await platform.RegisterUserAsync());
        (await platform.Client((await platform.EnrolStaffAsync("Agent Stranger", "support")).ApiKey).GetAsync($"/v1/users/{user.UserId}")).EnsureSuccessStatusCode();

        var own = await (await platform.AsUserAsync(user)).GetAsync($"/v1/users/{user.UserId}/access-log");
        var response = await stranger.GetAsync($"/v1/users/{user.UserId}/access-log");
        var anonymous = await platform.Client().GetAsync($"/v1/users/{user.UserId}/access-log");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        // As every other route about one user: someone else's id is as good as unknown.
        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain("support", problem.ToString(), StringComparison.Ordinal);
        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task P1_7_support_operators_and_merchants_cannot_read_a_users_access_log()
    {
        var shop = await platform.OpenShopAsync();
        var agent = await platform.EnrolStaffAsync("Agent Trail", "support");
        var path = $"/v1/users/{shop.Customer.UserId}/access-log";

        // Support reads a user's data under audit; who else did is the user's to read, not their colleagues' (staff privacy).
        var support = await platform.Client(agent.ApiKey).GetAsync(path);
        var operators = await platform.Operator().GetAsync(path);
        var merchant = await shop.MerchantClient.GetAsync(path);

        await support.AssertProblemAsync(HttpStatusCode.Forbidden);
        await operators.AssertProblemAsync(HttpStatusCode.Forbidden);
        await merchant.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task P1_7_the_access_log_shows_the_users_own_ids_and_never_those_of_another_user_an_agent_named()
    {
        var shop = await platform.OpenShopAsync();
        var order = await shop.PlaceOrderAsync();
        var user = shop.Customer;
        var ownTicket = await OpenTicketAsync(shop.CustomerClient, user.UserId);
        var bystander = await platform.RegisterUserAsync();
        var bystandersTicket = await OpenTicketAsync(await platform.AsUserAsync(bystander), bystander.UserId);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Query", "support")).ApiKey);

        // Ids in a query are the caller's to write: the audit entry keeps them, the user's log shows only their own.
        (await support.GetAsync($"/v1/orders/{order.Id()}?userId={bystander.UserId}&ticketId={bystandersTicket}")).EnsureSuccessStatusCode();
        (await support.GetAsync($"/v1/users/{user.UserId}/orders?ticketId={bystandersTicket}")).EnsureSuccessStatusCode();
        (await support.GetAsync($"/v1/users/{user.UserId}/orders?ticketId={ownTicket}")).EnsureSuccessStatusCode();
        var body = await shop.CustomerClient.GetStringAsync($"/v1/users/{user.UserId}/access-log");

        var reads = JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray()
            .Where(entry => entry.GetProperty("actorRole").GetString() == "support").ToList();
        Assert.Equal(3, reads.Count);
        Assert.Equal(ownTicket, reads[0].GetProperty("ticketId").GetString());
        Assert.Equal(JsonValueKind.Null, reads[1].GetProperty("ticketId").ValueKind);
        Assert.Equal(order.Id(), reads[2].GetProperty("orderId").GetString());
        Assert.DoesNotContain(bystander.UserId, body, StringComparison.Ordinal);
        Assert.DoesNotContain(bystandersTicket, body, StringComparison.Ordinal);
    }

    // *reviewer*: every query name ending in "Id" went into the entry with any value up to 64 characters, so an agent
    // wrote a name and a number into a log that refuses every change and outlives the account.
    [Fact]
    public async Task P4_1_P1_7_a_query_value_that_is_no_id_the_platform_issues_for_its_name_is_kept_out_of_the_audit_log()
    {
        var user = await platform.RegisterUserAsync();
        var agent = await platform.EnrolStaffAsync("Agent Free Text", "support");
        var support = platform.Client(agent.ApiKey);

        (await support.GetAsync($"/v1/users/{user.UserId}?noteId={Uri.EscapeDataString("张三13912345678")}&ticketId=13912345678&receiptId=rcp_13912345678")).EnsureSuccessStatusCode();

        var detail = await platform.Database.ScalarAsync<string>(
            "SELECT detail FROM audit_log WHERE actor_id = $1 AND subject_user_id = $2 ORDER BY sequence DESC LIMIT 1", agent.StaffId, user.UserId);
        Assert.Contains(user.UserId, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("13912345678", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("noteId", detail, StringComparison.Ordinal);
    }

    // P4.1, P1.7 (*reviewer*): a route's recipient went into the entry as typed, before the handler found it was no
    // recipient of the notice at all: an agent wrote a name, a phone and an ID number against the user, for good.
    [Fact]
    public async Task P4_1_P1_7_a_recipient_that_is_no_party_the_platform_names_is_kept_out_of_the_audit_log()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var agent = await platform.EnrolStaffAsync("Agent Free Recipient", "support");
        var support = platform.Client(agent.ApiKey);
        var requestId = (await client.FileRequestAsync(user.UserId, new { type = "access" })).RequestId();
        var merchantId = EntityId.New(EntityId.MerchantPrefix);

        async Task<string> RedeliveryWrittenAsync(string recipient)
        {
            var response = await support.PostAsync($"/v1/requests/{requestId}/recipients/{recipient}/redelivery", null);
            Assert.False(response.IsSuccessStatusCode, $"{recipient}: {response.StatusCode}");
            return (await platform.Database.ScalarAsync<string>(
                "SELECT detail FROM audit_log WHERE actor_id = $1 ORDER BY sequence DESC LIMIT 1", agent.StaffId))!;
        }

        var freeText = await RedeliveryWrittenAsync("zhangsan.13912345678.11010519491231002X");
        var partner = await RedeliveryWrittenAsync("wechat-pay");
        var merchant = await RedeliveryWrittenAsync(merchantId);

        Assert.DoesNotContain("13912345678", freeText, StringComparison.Ordinal);
        Assert.DoesNotContain("zhangsan", freeText, StringComparison.Ordinal);
        Assert.Contains("unlisted", freeText, StringComparison.Ordinal);
        Assert.Contains(requestId, freeText, StringComparison.Ordinal);
        Assert.Contains("wechat-pay", partner, StringComparison.Ordinal);
        Assert.Contains(merchantId, merchant, StringComparison.Ordinal);
    }

    [Fact]
    public async Task P1_7_the_access_log_is_read_newest_first_a_page_at_a_time_and_every_entry_is_reached()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Pages", "support")).ApiKey);
        foreach (var read in new[] { "", "/consents", "/locations", "/addresses", "/disclosures" })
        {
            (await support.GetAsync($"/v1/users/{user.UserId}{read}")).EnsureSuccessStatusCode();
        }

        var actions = new List<string>();
        var cursors = new List<string>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/access-log?limit=2" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            Assert.InRange(page.GetProperty("items").GetArrayLength(), 1, 2);
            actions.AddRange(page.GetProperty("items").EnumerateArray().Where(entry => entry.GetProperty("actorRole").GetString() == "support")
                .Select(entry => entry.GetProperty("action").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
            if (cursor is not null)
            {
                cursors.Add(cursor);
            }
        }
        while (cursor is not null);

        Assert.Equal(
            ["GET /v1/users/{userId}/disclosures", "GET /v1/users/{userId}/addresses", "GET /v1/users/{userId}/locations", "GET /v1/users/{userId}/consents", "GET /v1/users/{userId}"],
            actions);
        Assert.Equal(cursors.Count, cursors.Distinct().Count());
    }

    [Fact]
    public async Task P1_7_a_cursor_not_given_to_this_user_or_a_limit_out_of_range_is_400()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var other = await platform.RegisterUserAsync();
        var otherClient = await platform.AsUserAsync(other);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Cursor", "support")).ApiKey);
        (await support.GetAsync($"/v1/users/{other.UserId}")).EnsureSuccessStatusCode();
        (await support.GetAsync($"/v1/users/{other.UserId}/consents")).EnsureSuccessStatusCode();
        var othersCursor = (await otherClient.GetFromJsonAsync<JsonElement>($"/v1/users/{other.UserId}/access-log?limit=1")).GetProperty("nextCursor").GetString()!;

        foreach (var cursor in new[] { "bm90LWEtY3Vyc29y", "123", othersCursor, othersCursor[..^2] })
        {
            var problem = await (await client.GetAsync($"/v1/users/{user.UserId}/access-log?cursor={Uri.EscapeDataString(cursor)}"))
                .AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("cursor", out _), problem.ToString());
        }

        foreach (var limit in new[] { 0, 101 })
        {
            var problem = await (await client.GetAsync($"/v1/users/{user.UserId}/access-log?limit={limit}")).AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out _), problem.ToString());
        }
    }

    [Fact]
    public async Task P3_3_a_legal_demand_the_user_may_not_be_told_of_stays_out_of_their_access_log()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        await platform.RecordAndApproveAsync(user.UserId, Demand("（2026）京01刑调字第301号", notifyUser: false));
        (await platform.Operator().PostAsJsonAsync($"/v1/users/{user.UserId}/legal-disclosures", Demand("（2026）京01刑调字第302号", notifyUser: true))).EnsureSuccessStatusCode();
        var body = await client.GetStringAsync($"/v1/users/{user.UserId}/access-log");

        var demands = JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray()
            .Where(entry => entry.GetProperty("action").GetString() == "legal-disclosure").ToList();
        var told = Assert.Single(demands);
        Assert.Equal("operator", told.GetProperty("actorRole").GetString());
        Assert.StartsWith("staff_", told.GetProperty("actor").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("第301号", body, StringComparison.Ordinal);
        Assert.Equal(2L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE subject_user_id = $1 AND action = 'legal-disclosure'", user.UserId));
    }

    [Fact]
    public async Task P1_7_the_access_export_holds_the_users_access_log_and_says_it_is_bounded()
    {
        var shop = await platform.OpenShopAsync();
        var user = shop.Customer;
        var agent = await platform.EnrolStaffAsync("Agent Export", "support");
        (await platform.Client(agent.ApiKey).GetAsync($"/v1/users/{user.UserId}/orders")).EnsureSuccessStatusCode();
        var access = await shop.CustomerClient.FileRequestAsync(user.UserId, new { type = "access" });
        Assert.Equal("completed", (await shop.CustomerClient.WaitUntilDoneAsync(access.RequestId())).GetProperty("status").GetString());

        var json = await shop.CustomerClient.GetStringAsync($"/v1/requests/{access.RequestId()}/export");
        var page = await shop.CustomerClient.GetStringAsync($"/v1/requests/{access.RequestId()}/export?format=html");

        var log = JsonDocument.Parse(json).RootElement.GetProperty("accessLog");
        Assert.Contains("1000", log.GetProperty("kept").GetString(), StringComparison.Ordinal);
        Assert.True(log.GetProperty("complete").GetBoolean());
        var entries = log.GetProperty("entries").EnumerateArray().ToList();
        var read = Assert.Single(entries, entry => entry.GetProperty("action").GetString() == "GET /v1/users/{userId}/orders");
        Assert.Equal("support", read.GetProperty("actorRole").GetString());
        Assert.StartsWith("staff_", read.GetProperty("actor").GetString(), StringComparison.Ordinal);
        // The access request's own steps are there too, with the request they belong to.
        Assert.Contains(entries, entry => entry.GetProperty("action").GetString() == "access:received"
            && entry.GetProperty("requestId").GetString() == access.RequestId());
        Assert.DoesNotContain(agent.StaffId, json, StringComparison.Ordinal);
        Assert.Contains("<h2>accessLog</h2>", page, StringComparison.Ordinal);
        Assert.Contains("GET /v1/users/{userId}/orders", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task P1_7_the_export_holds_the_newest_1000_access_log_entries_and_says_there_are_more()
    {
        var user = await platform.RegisterUserAsync();
        var log = platform.Grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey);
        var staffId = EntityId.New(EntityId.StaffPrefix);
        for (var i = 0; i <= AccessExportGrain.AccessLogEntries; i++)
        {
            await log.Append(new AuditEntry("support", staffId, $"GET /v1/users/{{userId}}/n{i}", user.UserId, $"{{\"userId\":\"{user.UserId}\"}}"));
        }

        var bundle = ExportBundle.Assemble(await platform.Grains.PartsAsync(user.UserId));

        var accessLog = bundle.GetProperty("accessLog");
        Assert.False(accessLog.GetProperty("complete").GetBoolean());
        var entries = accessLog.GetProperty("entries");
        Assert.Equal(AccessExportGrain.AccessLogEntries, entries.GetArrayLength());
        Assert.Equal($"GET /v1/users/{{userId}}/n{AccessExportGrain.AccessLogEntries}", entries[0].GetProperty("action").GetString());
        Assert.Equal("GET /v1/users/{userId}/n1", entries[AccessExportGrain.AccessLogEntries - 1].GetProperty("action").GetString());
    }

    private static async Task<string> OpenTicketAsync(HttpClient client, string userId)
    {
        var opened = await client.PostAsJsonAsync($"/v1/users/{userId}/tickets", new { subject = "Help", message = "Where is my tea?" });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        return (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString()!;
    }

    private object Demand(string reference, bool notifyUser) => new
    {
        authority = "Beijing Public Security Bureau",
        documentType = "investigation-letter",
        documentReference = reference,
        fields = new[] { "phone" },
        notifyUser,
        withheldUntil = notifyUser ? (DateTimeOffset?)null : platform.WithheldFor90Days(),
    };
}
