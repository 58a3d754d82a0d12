using System.Globalization;
using System.Text.Json;
using MeiLing.Api.Activity;
using MeiLing.Grains.Activity;
using MeiLing.Grains.Privacy.Encryption;
using MeiLing.Grains.Retention;
using MeiLing.Tests.Api;
using MeiLing.Tests.DataRights;
using Npgsql;

namespace MeiLing.Tests.Users;

[Collection(PlatformCollection.Name)]
public sealed class ActivityLogTests(PlatformFixture platform)
{
    [Fact]
    public async Task P1_3_a_signed_in_users_requests_are_logged_with_ip_agent_language_os_path_and_search()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        client.DefaultRequestHeaders.Add("User-Agent", "Mozilla/5.0 (Linux; Android 14) MeiLingPOS/3.2");
        client.DefaultRequestHeaders.Add("Accept-Language", "zh-CN,zh;q=0.9");

        await client.GetAsync($"/v1/users/{user.UserId}?q=green+tea");

        await Eventually(() => platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM user_activity WHERE user_id = $1 AND basis = 'service-security'", user.UserId));
        var entry = Assert.Single(await platform.Grains.GetGrain<IActivityLogGrain>(0).GetUserActivity(user.UserId, 10));

        Assert.Equal("green tea", entry.SearchTerms);
        Assert.Equal("zh-CN", entry.Language);
        Assert.Equal("Android", entry.OperatingSystem);
        Assert.Contains("MeiLingPOS", entry.UserAgent, StringComparison.Ordinal);
        Assert.Equal($"/v1/users/{user.UserId}", entry.Path);
    }

    // P5.1, P1.3 (*reviewer*): a child awaiting their guardian may sign in, and every request of theirs was logged (address,
    // browser, language, system, path, search) though the gate refuses every processing of them; once the guardian
    // confirmed, the entries collected before the consent stayed in the child's log.
    [Fact]
    public async Task P5_1_A_child_awaiting_a_guardian_leaves_no_activity_entries()
    {
        var guardianPhone = UserApiClient.NewPhone();
        var child = await RegisterChildAsync(guardianPhone);
        var client = await platform.AsUserAsync(child);

        var read = await client.GetAsync($"/v1/users/{child.UserId}?q=before+consent");
        await FlushedPastAsync();
        var confirmed = await client.PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-confirmation",
            new { verificationCode = await platform.LatestCodeAsync(guardianPhone, "guardian-consent") });
        (await client.GetAsync($"/v1/users/{child.UserId}?q=after+consent")).EnsureSuccessStatusCode();
        await FlushedPastAsync();

        // What the child reads of their log: their requests since the consent are in it, none from before.
        var shown = (await client.GetFromJsonAsync<JsonElement>($"/v1/users/{child.UserId}/activity")).GetProperty("items").EnumerateArray()
            .Select(entry => entry.GetProperty("searchTerms").GetString()).ToList();
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("after consent", shown);
        Assert.DoesNotContain("before consent", shown);
    }

    // P5.1, P1.3: from the guardian's withdrawal on nothing of the child is processed, also while support's cancellation
    // awaits the child's word and the account is not yet closing; their requests were logged all the while.
    [Fact]
    public async Task P5_1_A_child_whose_guardian_withdrew_leaves_no_activity_entries_while_the_erasure_waits()
    {
        var guardianPhone = UserApiClient.NewPhone();
        var child = await RegisterChildAsync(guardianPhone);
        var client = await platform.AsUserAsync(child);
        (await client.PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-confirmation",
            new { verificationCode = await platform.LatestCodeAsync(guardianPhone, "guardian-consent") })).EnsureSuccessStatusCode();
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Activity Withdrawn", "support")).ApiKey);
        await support.FileRequestAsync(child.UserId, new
        {
            type = "cancellation", reason = "caller asked to close the account", verification = "callback to the registered number",
        });
        var withdrawn = await platform.Client().PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-withdrawal",
            new { verificationCode = await platform.ObtainCodeAsync(guardianPhone, "guardian-withdrawal") });

        var read = await client.GetAsync($"/v1/users/{child.UserId}?q=after+withdrawal");
        await FlushedPastAsync();

        Assert.Equal(HttpStatusCode.Accepted, withdrawn.StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, read.StatusCode);
        Assert.DoesNotContain(await platform.Grains.GetGrain<IActivityLogGrain>(0).GetUserActivity(child.UserId, 1000),
            entry => entry.SearchTerms == "after withdrawal");
    }

    [Fact]
    public async Task P1_3_P4_4_a_request_to_a_path_that_names_no_route_is_not_logged()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var madeUp = $"/v1/junk/{new string('x', 400)}";

        var junk = await client.GetAsync($"{madeUp}?q=anything");
        (await client.GetAsync($"/v1/users/{user.UserId}")).EnsureSuccessStatusCode();

        await junk.AssertProblemAsync(HttpStatusCode.NotFound);
        var logged = await EventuallyAsync(
            () => platform.Grains.GetGrain<IActivityLogGrain>(0).GetUserActivity(user.UserId, 10),
            entries => entries.Any(entry => entry.Path == $"/v1/users/{user.UserId}"));
        Assert.DoesNotContain(logged, entry => entry.Path.StartsWith("/v1/junk/", StringComparison.Ordinal));
    }

    // P1.3, P4.4: a signed-out token is 401 on every /v1 route, but a path that runs no session check (the consoles'
    // stylesheet) answered it, and its holder wrote entries of their choosing into the user's log for the token's life.
    [Fact]
    public async Task P1_3_P4_4_a_signed_out_tokens_requests_write_nothing_into_the_users_activity_log()
    {
        var user = await platform.RegisterUserAsync();
        var signedOut = await platform.SignInAsync(user);
        var live = await platform.AsUserAsync(user);
        var thief = platform.Api.CreateClient();
        thief.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", signedOut.Token);
        Assert.Equal(HttpStatusCode.NoContent, (await thief.DeleteAsync("/v1/sessions/current")).StatusCode);

        for (var request = 0; request < 3; request++)
        {
            await thief.GetAsync("/ui/site.css?q=planted+by+a+thief");
        }

        (await live.GetAsync($"/v1/users/{user.UserId}?q=the+users+own")).EnsureSuccessStatusCode();

        var logged = await EventuallyAsync(
            () => platform.Grains.GetGrain<IActivityLogGrain>(0).GetUserActivity(user.UserId, 10),
            entries => entries.Any(entry => entry.SearchTerms == "the users own"));
        Assert.DoesNotContain(logged, entry => entry.SearchTerms == "planted by a thief");
    }

    [Fact]
    public async Task P1_3_a_request_repeated_many_times_is_logged_with_its_count_not_once_per_request()
    {
        const int Repeats = 40;
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var path = $"/v1/users/{user.UserId}/consents";

        for (var request = 0; request < Repeats; request++)
        {
            (await client.GetAsync(path)).EnsureSuccessStatusCode();
        }

        var logged = await EventuallyAsync(
            () => platform.Grains.GetGrain<IActivityLogGrain>(0).GetUserActivity(user.UserId, 100),
            entries => entries.Where(entry => entry.Path == path).Sum(entry => entry.Requests) >= Repeats);
        var ofPath = logged.Where(entry => entry.Path == path).ToList();

        Assert.Equal(Repeats, ofPath.Sum(entry => entry.Requests));
        Assert.InRange(ofPath.Count, 1, 10);
        Assert.All(ofPath.Where(entry => entry.Requests > 1), entry => Assert.True(entry.Until > entry.At));
        Assert.InRange(await platform.Database.ScalarAsync<long>("SELECT count(*) FROM user_activity WHERE user_id = $1", user.UserId), 1, 10);
    }

    [Fact]
    public async Task P1_3_P4_4_a_user_varying_every_request_is_logged_as_100_entries_and_one_overflow_entry_that_counts_the_rest()
    {
        const int Requests = 300;
        var user = await platform.RegisterUserAsync();
        var recorder = platform.Api.Services.GetRequiredService<ActivityRecorder>();
        var start = DateTimeOffset.UtcNow;
        // As the API's middleware records them, a search of its own on every request, all within one flush.
        for (var i = 0; i < Requests; i++)
        {
            recorder.Record(new ActivityEntry(user.UserId, start.AddMilliseconds(i), "10.1.2.3", "MeiLingPOS/3.2", "zh-CN", "Android",
                $"/v1/users/{user.UserId}", $"search {i}"));
        }

        // Polled through the grain: a read through the API would be a request of the user's, logged too.
        var logged = await EventuallyAsync(
            () => platform.Grains.GetGrain<IActivityLogGrain>(0).GetUserActivity(user.UserId, 1000),
            entries => entries.Sum(entry => entry.Requests) >= Requests);
        // What the user reads of it: the overflow entries with their count of distinct requests.
        var client = await platform.AsUserAsync(user);
        var shown = (await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/activity?limit=1000")).GetProperty("items").EnumerateArray()
            .Where(entry => entry.GetProperty("overflow").ValueKind == JsonValueKind.Object).ToList();

        var overflows = logged.Where(entry => entry.Overflow is not null).ToList();
        var apart = logged.Count - overflows.Count;
        Assert.Equal(Requests, logged.Sum(entry => entry.Requests));
        Assert.NotEmpty(overflows);
        Assert.InRange(apart, ActivityCoalescing.DistinctPerUser, Requests - 1);
        Assert.Equal(Requests - apart, overflows.Sum(entry => entry.Overflow!.DistinctRequests));
        Assert.All(overflows, entry =>
        {
            Assert.Equal("", entry.Path);
            Assert.Null(entry.SearchTerms);
            Assert.Equal("10.1.2.3", entry.IpAddress);
            Assert.True(entry.Requests == 1 || entry.Until > entry.At);
        });
        Assert.Equal(overflows.Select(entry => entry.Overflow!.DistinctRequests).Order(),
            shown.Select(entry => entry.GetProperty("overflow").GetProperty("distinctRequests").GetInt32()).Order());
    }

    // P1.3, P4.4: a flush kept a hundred of a user's distinct requests apart, twice a second, all day: a user varying every
    // request stored tens of gigabytes a day, kept for the retention period. Past the day's allowance they are only counted.
    [Fact]
    public async Task P1_3_P4_4_past_the_days_allowance_a_users_requests_are_counted_not_kept_apart_and_written_as_the_host_stops()
    {
        const int Allowance = 40;
        const int Requests = 300;
        var user = await platform.RegisterUserAsync();
        var log = platform.Grains.GetGrain<IActivityLogGrain>(0);
        var api = platform.Api.WithWebHostBuilder(web => web.UseSetting("ACTIVITY_ENTRIES_PER_USER_PER_DAY", Allowance.ToString(CultureInfo.InvariantCulture)));
        await using (api)
        {
            var recorder = api.Services.GetRequiredService<ActivityRecorder>();
            var start = DateTimeOffset.UtcNow;
            for (var i = 0; i < Requests; i++)
            {
                recorder.Record(new ActivityEntry(user.UserId, start.AddMilliseconds(i), "10.1.2.3", $"Browser/{i}", "zh-CN", "Android",
                    $"/v1/users/{user.UserId}", $"search {i}"));
            }

            var kept = await EventuallyAsync(() => log.GetUserActivity(user.UserId, 1000), entries => entries.Sum(entry => entry.Requests) >= Allowance);
            Assert.Equal(Allowance, kept.Count);
            Assert.All(kept, entry => Assert.Null(entry.Overflow));
        }

        // The rest were held on one overflow entry, written as the host stopped.
        var logged = await EventuallyAsync(() => log.GetUserActivity(user.UserId, 1000), entries => entries.Sum(entry => entry.Requests) >= Requests);
        var overflow = Assert.Single(logged, entry => entry.Overflow is not null);
        Assert.Equal((Requests - Allowance, Requests - Allowance), (overflow.Requests, overflow.Overflow!.DistinctRequests));
        Assert.Null(overflow.UserAgent);
    }

    [Fact]
    public async Task P1_3_entries_written_one_per_row_before_batches_are_still_read_beside_batches()
    {
        var user = await platform.RegisterUserAsync();
        var earlier = new ActivityEntry(user.UserId, DateTimeOffset.UtcNow.AddDays(-1), "10.1.2.3", "MeiLingPOS/3.1", "zh-CN", null, "/v1/orders", "乌龙");
        var seal = (await platform.EverySilo.First().GetRequiredService<UserDataKeys>().SealersIfKeyedAsync([user.UserId])).GetValueOrDefault(user.UserId);
        await platform.Database.ScalarAsync<int>(
            "INSERT INTO user_activity (user_id, at, sealed_entry, basis) VALUES ($1, $2, $3, 'service-security') RETURNING 1",
            user.UserId, earlier.At, seal!(JsonSerializer.SerializeToUtf8Bytes(earlier)));
        var later = earlier with { At = DateTimeOffset.UtcNow, Path = "/v1/products" };
        await platform.Grains.GetGrain<IActivityLogGrain>(0).Append([later]);

        var entries = await platform.Grains.GetGrain<IActivityLogGrain>(0).GetUserActivity(user.UserId, 10);

        Assert.Equal(["/v1/products", "/v1/orders"], entries.Select(entry => entry.Path));
        Assert.Equal("乌龙", entries[1].SearchTerms);
        Assert.Equal(1, entries[1].Requests);
    }

    // P1.3, P4.1 (*reviewer*): a deletion of the user's activity erased the rows stored, and the entries recorded before it but
    // still on their way from an API host (its batch, its overflow, the filing's own request) were written after it and kept.
    [Fact]
    public async Task P1_3_P4_1_entries_recorded_before_a_deletion_of_activity_and_flushed_after_it_are_dropped()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var log = platform.Grains.GetGrain<IActivityLogGrain>(0);
        var recordedBefore = new ActivityEntry(user.UserId, DateTimeOffset.UtcNow, "10.1.2.3", "MeiLingPOS/3.1", "zh-CN", null, "/v1/orders", "乌龙");

        var filed = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/requests", new { type = "deletion", details = new { categories = new[] { "activity" } } });
        var requestId = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requestId").GetString()!;
        await platform.Grains.GetGrain<MeiLing.Grains.DataRights.IDataRightsRequestGrain>(requestId).Drive();
        await log.Append([recordedBefore, recordedBefore with { At = DateTimeOffset.UtcNow.AddSeconds(5), Path = "/v1/products" }]);

        var entries = await log.GetUserActivity(user.UserId, 100);

        Assert.Equal(HttpStatusCode.Accepted, filed.StatusCode);
        Assert.DoesNotContain(entries, entry => entry.At <= recordedBefore.At);
        Assert.Contains(entries, entry => entry.Path == "/v1/products");
    }

    // P1.3, P4.1 (*reviewer*): a flush that read the erasure marks before a deletion wrote its mark, and wrote its rows after
    // the deletion's DELETE, kept the entries recorded before the deletion. The deletion is held open here, its mark written
    // and the table locked against writers, while the flush reads the marks without it and waits to write; it then commits,
    // as a deletion run between the flush's read and its write does.
    [Fact]
    public async Task P1_3_P4_1_a_flush_that_read_the_marks_before_a_deletion_and_wrote_after_it_keeps_nothing_recorded_before_it()
    {
        var user = await platform.RegisterUserAsync();
        var bystander = await platform.RegisterUserAsync();
        var log = platform.Grains.GetGrain<IActivityLogGrain>(0);
        var recordedBefore = new ActivityEntry(user.UserId, DateTimeOffset.UtcNow.AddSeconds(-1), "10.1.2.3", "MeiLingPOS/3.1", "zh-CN", null, "/v1/raced", "乌龙");
        var bystanders = recordedBefore with { UserId = bystander.UserId };

        await using var connection = await platform.Database.DataSource.OpenConnectionAsync();
        await using var deletion = await connection.BeginTransactionAsync();
        await RunAsync("INSERT INTO activity_erasures (user_id, erased_through) VALUES ($1, $2)", user.UserId, DateTimeOffset.UtcNow);
        await RunAsync("DELETE FROM user_activity WHERE user_id = $1", user.UserId);
        await RunAsync("LOCK TABLE user_activity IN SHARE MODE");
        var flush = log.Append([recordedBefore, bystanders]);
        await Eventually(() => platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_locks WHERE relation = 'user_activity'::regclass AND NOT granted"));
        await deletion.CommitAsync();
        await flush;

        Assert.DoesNotContain(await log.GetUserActivity(user.UserId, 1000), entry => entry.Path == "/v1/raced");
        Assert.Contains(await log.GetUserActivity(bystander.UserId, 1000), entry => entry.Path == "/v1/raced");

        async Task RunAsync(string sql, params object[] parameters)
        {
            await using var command = new NpgsqlCommand(sql, connection, deletion);
            foreach (var parameter in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = parameter });
            }

            await command.ExecuteNonQueryAsync();
        }
    }

    // P1.3, P8.1 (*reviewer*): the route showed at most the newest 1,000 entries with nextCursor null, while a user's log holds
    // up to 10,000 entries a day for 180 days: it said the list was whole, and the user could see the rest only in an export.
    [Fact]
    public async Task P1_3_P8_1_the_log_is_read_a_page_at_a_time_to_its_oldest_entry_even_where_pages_end_inside_a_flush()
    {
        var user = await platform.RegisterUserAsync();
        var log = platform.Grains.GetGrain<IActivityLogGrain>(0);
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        ActivityEntry Entry(string flush, int i, DateTimeOffset at) =>
            new(user.UserId, at, "10.1.2.3", "MeiLingPOS/3.2", "zh-CN", "Android", $"/v1/paged/{flush}/{i}", null);
        // Each append is one row, one flush; two rows are dated by one instant, as two API hosts' flushes may be. Newest row
        // first: c (40 entries), b (40), the two of one instant (2 each), a (40). Pages of 41 end inside b, inside the
        // instant's rows, and inside a.
        var shared = start.AddMinutes(1);
        IReadOnlyList<ActivityEntry>[] flushes =
        [
            [.. Enumerable.Range(0, 40).Select(i => Entry("a", i, start.AddSeconds(i)))],
            [Entry("s1", 0, shared), Entry("s1", 1, shared.AddSeconds(-1))],
            [Entry("s2", 0, shared), Entry("s2", 1, shared.AddSeconds(-2))],
            [.. Enumerable.Range(0, 40).Select(i => Entry("b", i, start.AddMinutes(2).AddSeconds(i)))],
            [.. Enumerable.Range(0, 40).Select(i => Entry("c", i, start.AddMinutes(3).AddSeconds(i)))],
        ];
        foreach (var flush in flushes)
        {
            await log.Append(flush);
        }

        var held = flushes.SelectMany(flush => flush.Select(entry => entry.Path)).Order().ToList();
        // Support first: the user's own reads are logged too, newer than every row here, and would move where pages end.
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Activity", "support")).ApiKey);
        var bySupport = await PagesAsync(support, "limit=41");
        var byUser = await PagesAsync(await platform.AsUserAsync(user), null);

        Assert.Equal(100, byUser[0].Items);
        Assert.NotNull(byUser[0].NextCursor);
        Assert.Equal(held, byUser.SelectMany(page => page.Paths).Order());
        Assert.Equal(held, bySupport.SelectMany(page => page.Paths).Order());
        Assert.Equal([41, 41, 41, 1], bySupport.Select(page => page.Items));
        Assert.All(bySupport, page => Assert.All(page.Searches, search => Assert.Null(search)));

        async Task<List<(int Items, string? NextCursor, List<string> Paths, List<string?> Searches)>> PagesAsync(HttpClient reader, string? query)
        {
            var pages = new List<(int, string?, List<string>, List<string?>)>();
            string? cursor = null;
            do
            {
                var parameters = string.Join('&', new[] { query, cursor is null ? null : $"cursor={cursor}" }.OfType<string>());
                var page = await reader.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/activity?{parameters}");
                var items = page.GetProperty("items").EnumerateArray().ToList();
                cursor = page.GetProperty("nextCursor").GetString();
                var ours = items.Where(item => item.GetProperty("path").GetString()!.StartsWith("/v1/paged/", StringComparison.Ordinal)).ToList();
                pages.Add((items.Count, cursor, [.. ours.Select(item => item.GetProperty("path").GetString()!)],
                    [.. ours.Select(item => item.GetProperty("searchTerms").GetString())]));
            }
            while (cursor is not null && pages.Count < 10);

            return pages;
        }
    }

    [Theory]
    [InlineData("not-a-cursor")]
    [InlineData("-1.0")]
    [InlineData("638000000000000000")]
    [InlineData("0638000000000000000.0")]
    public async Task P1_3_a_cursor_the_activity_log_did_not_give_is_400(string cursor)
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var response = await client.GetAsync($"/v1/users/{user.UserId}/activity?cursor={cursor}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task P1_3_entries_expire_after_the_retention_period()
    {
        var user = await platform.RegisterUserAsync();
        await platform.Database.ScalarAsync<int>(
            "INSERT INTO user_activity (user_id, at, sealed_entry, basis) VALUES ($1, now() - interval '181 days', '\\x01', 'service-security'), " +
            "($1, now() - interval '179 days', '\\x02', 'service-security') RETURNING 1", user.UserId);

        await platform.Grains.GetGrain<IRetentionGrain>(IRetentionGrain.PlatformKey).Sweep();

        Assert.Equal("\\x02", await platform.Database.ScalarAsync<string>("SELECT string_agg(sealed_entry::text, ',') FROM user_activity WHERE user_id = $1", user.UserId));
    }

    private async Task<RegisteredUser> RegisterChildAsync(string guardianPhone) =>
        await platform.RegisterUserAsync(new
        {
            birthDate = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-10),
            guardianConsent = new { guardianName = "王芳", guardianPhone, relationship = "mother" },
        });

    // Requests made before this are flushed once it returns: an adult's request made now through the same API host is
    // logged, and the host's flusher sends its batches in turn, so every earlier one has been through the log by then.
    private async Task FlushedPastAsync()
    {
        var bystander = await platform.RegisterUserAsync();
        var marker = Guid.NewGuid().ToString("N");
        (await (await platform.AsUserAsync(bystander)).GetAsync($"/v1/users/{bystander.UserId}?q={marker}")).EnsureSuccessStatusCode();
        await Polling.UntilAsync(
            () => platform.Grains.GetGrain<IActivityLogGrain>(0).GetUserActivity(bystander.UserId, 10),
            entries => entries.Any(entry => entry.SearchTerms == marker));
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            await Task.Delay(100);
        }

        return await probe();
    }

    private static Task<long> Eventually(Func<Task<long>> probe) => EventuallyAsync(probe, value => value > 0);
}
