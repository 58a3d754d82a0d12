using System.Text.Json;
using MeiLing.Grains.Audit;
using MeiLing.Grains.Platform;
using MeiLing.Tests.Api;
using MeiLing.Tests.Retail;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.Commerce;

[Collection(PlatformCollection.Name)]
public sealed class SupportTests(PlatformFixture platform)
{
    [Fact]
    public async Task P1_7_tickets_keep_the_conversation_between_the_user_and_support()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Liu", "support")).ApiKey);

        var opened = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = "Late delivery", message = "Where is my tea?" });
        var ticketId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString();
        await support.PostAsJsonAsync($"/v1/tickets/{ticketId}/messages", new { message = "On its way." });
        var ticket = await client.GetFromJsonAsync<JsonElement>($"/v1/tickets/{ticketId}");

        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var authors = ticket.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("author").GetString()).ToList();
        Assert.Equal(["user", "support"], authors);
    }

    // P1.7 (*reviewer*): a user's ticket reached an agent only if one happened to open that user's page: nothing listed what
    // awaited an answer, nor since when. Support's queue lists each ticket from the user's first unanswered message, due 15
    // days later, until support replies; the user's next message puts it back.
    [Fact]
    public async Task P1_7_support_sees_the_tickets_awaiting_its_reply_longest_waiting_first_each_due_15_days_after_the_users_message()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Queue", "support")).ApiKey);
        var opened = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = "Refund", message = "Still waiting" });
        var ticketId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString()!;

        var listedOpen = await QueuedAsync(support, ticketId);
        var awaitingOpen = await client.GetFromJsonAsync<JsonElement>($"/v1/tickets/{ticketId}");
        (await support.PostAsJsonAsync($"/v1/tickets/{ticketId}/messages", new { message = "Refunded today." })).EnsureSuccessStatusCode();
        var listedAnswered = await QueuedAsync(support, ticketId);
        var answered = await client.GetFromJsonAsync<JsonElement>($"/v1/tickets/{ticketId}");
        (await client.PostAsJsonAsync($"/v1/tickets/{ticketId}/messages", new { message = "Not arrived" })).EnsureSuccessStatusCode();
        var listedAgain = await QueuedAsync(support, ticketId);
        var byTheUser = await client.GetAsync("/v1/tickets?awaitingReply=true");
        var unnamed = await support.GetAsync("/v1/tickets");

        Assert.NotNull(listedOpen);
        var since = listedOpen.Value.GetProperty("awaitingReplySince").GetDateTimeOffset();
        Assert.Equal(since.AddDays(15), listedOpen.Value.GetProperty("replyDueAt").GetDateTimeOffset());
        Assert.Equal(user.UserId, listedOpen.Value.GetProperty("userId").GetString());
        // The queue keeps the database's microseconds; the ticket its own ticks.
        Assert.True((since - awaitingOpen.GetProperty("awaitingReplySince").GetDateTimeOffset()).Duration() < TimeSpan.FromMilliseconds(1));
        Assert.Null(listedAnswered);
        Assert.Equal(JsonValueKind.Null, answered.GetProperty("awaitingReplySince").ValueKind);
        Assert.NotNull(listedAgain);
        Assert.True(listedAgain.Value.GetProperty("awaitingReplySince").GetDateTimeOffset() > since);
        Assert.Equal(HttpStatusCode.Forbidden, byTheUser.StatusCode);
        await unnamed.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    // P1.7, P8.1 (*reviewer*): the ticket's place in support's queue is set after its message is stored, and a failure there
    // was only logged: nothing tried again, and the ticket stayed out of the queue until its user wrote again, support
    // missing its 15-day deadline. The ticket sets its place again as it wakes (and retries while it stays in memory).
    [Fact]
    public async Task P1_7_P8_1_a_ticket_whose_queue_update_failed_is_listed_awaiting_reply_once_it_wakes_again()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Requeue", "support")).ApiKey);
        var opened = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = "Missing parcel", message = "Where is it?" });
        var ticketId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString()!;
        (await support.PostAsJsonAsync($"/v1/tickets/{ticketId}/messages", new { message = "Sent again today." })).EnsureSuccessStatusCode();

        var written = await platform.Database.WhileRefusingAsync("user_tickets", $"NEW.ticket_id = '{ticketId}'",
            () => client.PostAsJsonAsync($"/v1/tickets/{ticketId}/messages", new { message = "Still nothing." }));
        await platform.Grains.GetGrain<MeiLing.Grains.Tickets.ITicketGrain>(ticketId).EndActivationAsync();
        var ticket = await client.GetFromJsonAsync<JsonElement>($"/v1/tickets/{ticketId}");
        var listed = await QueuedAsync(support, ticketId);

        // The message stands: a 500 would have the user write it again.
        Assert.Equal(HttpStatusCode.Created, written.StatusCode);
        Assert.Equal(3, ticket.GetProperty("messages").GetArrayLength());
        Assert.NotNull(listed);
        Assert.True((listed.Value.GetProperty("awaitingReplySince").GetDateTimeOffset() - ticket.GetProperty("awaitingReplySince").GetDateTimeOffset()).Duration()
            < TimeSpan.FromMilliseconds(1));
    }

    // P1.7, P8.1 (*reviewer*): a ticket that stays in memory (its user and support keep reading it) sets its place in the
    // queue again on a timer of its own once the database takes writes again: set only as it woke, a busy ticket whose update
    // failed stayed out of support's queue for as long as anyone kept it awake.
    [Fact]
    public async Task P1_7_P8_1_a_ticket_whose_queue_update_failed_is_listed_again_while_it_stays_in_memory()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Retry", "support")).ApiKey);
        var opened = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = "Broken kettle", message = "It leaks." });
        var ticketId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString()!;
        (await support.PostAsJsonAsync($"/v1/tickets/{ticketId}/messages", new { message = "Send us a photo." })).EnsureSuccessStatusCode();

        // Read while the database still refuses: the retry runs every second, and may set the row as soon as it is let.
        var (written, unlistedAtFirst) = await platform.Database.WhileRefusingAsync("user_tickets", $"NEW.ticket_id = '{ticketId}'", async () =>
            (await client.PostAsJsonAsync($"/v1/tickets/{ticketId}/messages", new { message = "Photo attached." }), await AwaitingReplyRowsAsync(ticketId)));
        // The ticket stays in memory (nobody ends its activation); only its own retry can set the row.
        await Polling.UntilAsync(async () => await AwaitingReplyRowsAsync(ticketId) == 1);
        var listed = await QueuedAsync(support, ticketId);

        Assert.Equal(HttpStatusCode.Created, written.StatusCode);
        Assert.Equal(0, unlistedAtFirst);
        Assert.NotNull(listed);
    }

    private Task<long> AwaitingReplyRowsAsync(string ticketId) => platform.Database.ScalarAsync<long>(
        "SELECT count(*) FROM user_tickets WHERE ticket_id = $1 AND awaiting_reply_since IS NOT NULL", ticketId);

    // The queue's pages, walked to the ticket: other tests' tickets wait in it too.
    private static async Task<JsonElement?> QueuedAsync(HttpClient support, string ticketId)
    {
        string? cursor = null;
        do
        {
            var page = await support.GetFromJsonAsync<JsonElement>($"/v1/tickets?awaitingReply=true&limit=200{(cursor is null ? "" : $"&cursor={cursor}")}");
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                if (item.GetProperty("ticketId").GetString() == ticketId)
                {
                    return item;
                }
            }

            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return null;
    }

    [Fact]
    public async Task P4_4_P1_7_a_ticket_holds_at_most_100000_characters_and_support_still_answers_it_when_full()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var longest = new string('茶', 2_000);
        var opened = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = "Long", message = longest });
        var ticketId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString();
        for (var i = 1; i < 50; i++)
        {
            (await client.PostAsJsonAsync($"/v1/tickets/{ticketId}/messages", new { message = longest })).EnsureSuccessStatusCode();
        }

        var full = await client.PostAsJsonAsync($"/v1/tickets/{ticketId}/messages", new { message = "ok" });
        var messagesWhenFull = (await client.GetFromJsonAsync<JsonElement>($"/v1/tickets/{ticketId}")).GetProperty("messages").GetArrayLength();
        // P1.7 (*reviewer*): support still answers a full ticket, from a small reserve of its own, so the user's last message
        // is answered and the ticket leaves support's queue.
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Full Ticket", "support")).ApiKey);
        var answered = await support.PostAsJsonAsync($"/v1/tickets/{ticketId}/messages", new { message = "We have answered by phone; please open a new ticket." });
        var afterwards = await client.GetFromJsonAsync<JsonElement>($"/v1/tickets/{ticketId}");

        var problem = await full.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/ticket-full", problem.TypeOf(), StringComparison.Ordinal);
        Assert.Equal(50, messagesWhenFull);
        Assert.Equal(HttpStatusCode.Created, answered.StatusCode);
        Assert.Equal(JsonValueKind.Null, afterwards.GetProperty("awaitingReplySince").ValueKind);
    }

    // P4.4: a user opens ten tickets a day and each holds 500 messages, every one rewriting its whole sealed ticket: only
    // the ticket's own bound stopped a script, ten tickets' worth a day, kept until the user's erasure.
    [Fact]
    public async Task P4_4_a_user_writes_a_days_allowance_of_ticket_messages_across_their_tickets_and_supports_replies_still_go()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Replying", "support")).ApiKey);
        async Task<string> OpenAsync(string subject) =>
            (await (await client.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject, message = "Hello" })).Content.ReadFromJsonAsync<JsonElement>())
                .GetProperty("ticketId").GetString()!;
        var first = await OpenAsync("First");
        var second = await OpenAsync("Second");
        var firstTicket = platform.Grains.GetGrain<MeiLing.Grains.Tickets.ITicketGrain>(first);
        await Task.WhenAll(Enumerable.Range(0, TestSiloConfigurator.TicketMessagesPerUserPerDay).Select(i =>
            firstTicket.AddMessage(new MeiLing.Grains.Tickets.TicketMessage(MeiLing.Grains.Tickets.TicketAuthor.User, user.UserId, $"m{i}", DateTimeOffset.UtcNow))));

        var onAnotherTicket = await client.PostAsJsonAsync($"/v1/tickets/{second}/messages", new { message = "One more" });
        var supportsReply = await support.PostAsJsonAsync($"/v1/tickets/{second}/messages", new { message = "We are on it." });

        Assert.EndsWith("/quota-exceeded", (await onAnotherTicket.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.NotNull(onAnotherTicket.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.Created, supportsReply.StatusCode);
        Assert.Equal(2, (await client.GetFromJsonAsync<JsonElement>($"/v1/tickets/{second}")).GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task A_ticket_read_while_messages_are_added_never_fails()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var opened = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = "Busy", message = "First" });
        var ticketId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString()!;
        var ticket = platform.Grains.GetGrain<MeiLing.Grains.Tickets.ITicketGrain>(ticketId);

        // The read's answer is serialized after its turn, while the next message is already being added.
        var writes = Enumerable.Range(0, 200).Select(i =>
            ticket.AddMessage(new MeiLing.Grains.Tickets.TicketMessage(MeiLing.Grains.Tickets.TicketAuthor.User, user.UserId, $"m{i}", DateTimeOffset.UtcNow)));
        var reads = Enumerable.Range(0, 200).Select(_ => ticket.Get());
        await Task.WhenAll(writes.Cast<Task>().Concat(reads));

        Assert.Equal(201, (await ticket.Get())!.Messages.Count);
    }

    [Fact]
    public async Task Another_users_ticket_is_404()
    {
        var owner = await platform.RegisterUserAsync();
        var opened = await (await platform.AsUserAsync(owner)).PostAsJsonAsync($"/v1/users/{owner.UserId}/tickets", new { subject = "s", message = "m" });
        var ticketId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString();
        var stranger = await platform.AsUserAsync(await platform.RegisterUserAsync());

        var response = await stranger.GetAsync($"/v1/tickets/{ticketId}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task P1_7_support_looking_up_a_users_orders_is_audited()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync();
        var agent = await platform.EnrolStaffAsync("Agent Audit", "support");
        var support = platform.Client(agent.ApiKey);

        var orders = await support.GetAsync($"/v1/users/{shop.Customer.UserId}/orders");
        var order = await support.GetAsync($"/v1/orders/{placed.Id()}");

        Assert.Equal(HttpStatusCode.OK, orders.StatusCode);
        Assert.Equal(HttpStatusCode.OK, order.StatusCode);
        var audited = await platform.Grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).About(shop.Customer.UserId, 100);
        Assert.Contains(audited, record => record.Entry.ActorId == agent.StaffId && record.Entry.Action.Contains("/orders", StringComparison.Ordinal));
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE actor_id = $1 AND detail LIKE '%' || $2 || '%'", agent.StaffId, placed.Id()));
    }

    // A read by id names no user in its route: the entry once said which order, ticket or request, and not whose, so the
    // user's own trail never showed that support looked. The subject is the resource's user, whatever the query says.
    [Fact]
    public async Task P1_7_support_reading_an_order_a_ticket_or_a_request_by_id_is_audited_with_the_user_it_belongs_to()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync();
        var user = shop.Customer;
        var client = await platform.AsUserAsync(user);
        var ticketId = (await (await client.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = "Refund", message = "Where is it?" }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString();
        var requestId = (await (await client.PostAsJsonAsync($"/v1/users/{user.UserId}/requests", new { type = "access" }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requestId").GetString();
        var bystander = await platform.RegisterUserAsync();
        var agent = await platform.EnrolStaffAsync("Agent By Id", "support");
        var support = platform.Client(agent.ApiKey);

        var order = await support.GetAsync($"/v1/orders/{placed.Id()}?userId={bystander.UserId}");
        var ticket = await support.GetAsync($"/v1/tickets/{ticketId}");
        var request = await support.GetAsync($"/v1/requests/{requestId}");
        var unknown = await support.GetAsync($"/v1/tickets/{EntityId.New(EntityId.TicketPrefix)}");

        Assert.Equal(HttpStatusCode.OK, order.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ticket.StatusCode);
        Assert.Equal(HttpStatusCode.OK, request.StatusCode);
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
        var trail = (await platform.Grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).About(user.UserId, 500))
            .Where(record => record.Entry.ActorId == agent.StaffId).ToList();
        Assert.Contains(trail, record => record.Entry.Action == "GET /v1/orders/{orderId}" && record.Entry.Detail!.Contains(placed.Id(), StringComparison.Ordinal));
        Assert.Contains(trail, record => record.Entry.Action == "GET /v1/tickets/{ticketId}" && record.Entry.Detail!.Contains(ticketId!, StringComparison.Ordinal));
        Assert.Contains(trail, record => record.Entry.Action == "GET /v1/requests/{requestId}" && record.Entry.Detail!.Contains(requestId!, StringComparison.Ordinal));
        // One entry per read, the miss included (with no user), and none given to whoever the query named.
        Assert.Equal(4L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE actor_id = $1", agent.StaffId));
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE actor_id = $1 AND subject_user_id IS NULL AND action = 'GET /v1/tickets/{ticketId}'", agent.StaffId));
        Assert.Empty(await platform.Grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).About(bystander.UserId, 100));
    }

    [Fact]
    public async Task P1_7_support_reading_a_walk_in_sale_gets_404_and_is_audited_with_no_user()
    {
        var till = await platform.OpenTillAsync("Walk-in Audit");
        await till.Owner.AddStockedProductAsync(till.MerchantId, "INK", 300, stock: null);
        var sale = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("INK", 1));
        var agent = await platform.EnrolStaffAsync("Agent Walk-in", "support");

        var response = await platform.Client(agent.ApiKey).GetAsync($"/v1/orders/{sale.Id()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE actor_id = $1 AND subject_user_id IS NULL AND detail LIKE '%' || $2 || '%'", agent.StaffId, sale.Id()));
    }

    [Fact]
    public async Task The_orders_of_a_user_who_does_not_exist_are_404_to_support()
    {
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Unknown", "support")).ApiKey);

        var response = await support.GetAsync($"/v1/users/{EntityId.New(EntityId.UserPrefix)}/orders");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    // The database refuses to change an entry; one changed all the same (by an attacker who can turn the
    // triggers off) still breaks the chain.
    [Fact]
    public async Task P8_1_the_audit_chain_verifies_and_detects_a_changed_entry()
    {
        var agent = await platform.EnrolStaffAsync("Agent Chain", "support");
        var user = await platform.RegisterUserAsync();
        await platform.Client(agent.ApiKey).GetAsync($"/v1/users/{user.UserId}");
        var log = platform.Grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey);
        Assert.True((await log.Verify()).Intact);

        var sequence = await platform.Database.ScalarAsync<long>("SELECT max(sequence) FROM audit_log WHERE actor_id = $1", agent.StaffId);
        var original = await platform.Database.ScalarAsync<string>("SELECT action FROM audit_log WHERE sequence = $1", sequence);
        await platform.Database.BypassingTriggersAsync("UPDATE audit_log SET action = 'nothing to see' WHERE sequence = $1", sequence);
        var verification = await log.Verify();
        await platform.Database.BypassingTriggersAsync("UPDATE audit_log SET action = $2 WHERE sequence = $1", sequence, original!);

        Assert.False(verification.Intact);
        Assert.Equal(sequence, verification.FirstBrokenSequence);
    }
}
