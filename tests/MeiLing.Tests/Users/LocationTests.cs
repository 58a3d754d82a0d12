using System.Text.Json;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Privacy.Encryption;
using MeiLing.Grains.Retention;
using MeiLing.Grains.Users;
using MeiLing.Tests.Api;
using MeiLing.Tests.DataRights;

namespace MeiLing.Tests.Users;

[Collection(PlatformCollection.Name)]
public sealed class LocationTests(PlatformFixture platform)
{
    [Fact]
    public async Task P1_2_a_sample_without_location_consent_is_403_consent_required()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var response = await client.PostLocationAsync(user.UserId);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.EndsWith("/consent-required", problem.TypeOf(), StringComparison.Ordinal);
        Assert.Equal(0L, await SamplesOf(user.UserId));
    }

    [Fact]
    public async Task P1_2_samples_are_kept_while_location_is_granted_with_their_receipt()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var receipt = await client.SetConsentAsync(user.UserId, "location", true, version);

        var response = await client.PostLocationAsync(user.UserId);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        // P1.10: the sample carries the consent it was collected under.
        Assert.Equal(receipt.ReceiptId, await platform.Database.ScalarAsync<string>(
            "SELECT consent_receipt_id FROM user_location_samples WHERE user_id = $1", user.UserId));
    }

    [Fact]
    public async Task P1_2_withdrawal_stops_collection_at_once_and_erases_the_samples()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "location", true, version);
        await client.PostLocationAsync(user.UserId);
        await client.PostLocationAsync(user.UserId, 31.23, 121.47);

        await client.SetConsentAsync(user.UserId, "location", false, version);
        var after = await client.PostLocationAsync(user.UserId);

        Assert.Equal(0L, await SamplesOf(user.UserId));
        await after.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    // P1.2 (*reviewer*): the withdrawal's receipt was kept, then the erasure of the samples failed (5xx); the retry, the same
    // answer under the same version, was "unchanged" and erased nothing, so the samples stayed until the retention sweep.
    [Fact]
    public async Task P1_2_a_withdrawal_retried_after_its_erasure_failed_erases_the_samples()
    {
        var (user, client, version) = await UserWithASampleAsync();
        var failed = await WhileTheirSamplesRefuseErasureAsync(user.UserId, () =>
            client.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/location", new { granted = false, policyVersion = version }));

        var keptMeanwhile = await SamplesOf(user.UserId);
        var retried = await client.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/location", new { granted = false, policyVersion = version });

        Assert.False(failed.IsSuccessStatusCode);
        Assert.Equal(1L, keptMeanwhile);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(0L, await SamplesOf(user.UserId));
    }

    // P1.2 (*reviewer*): the withdrawal's receipt was kept, then the erasure of the samples failed (5xx), and nothing but the
    // same withdrawal sent again finished it, which the privacy center never sends (its form posts the opposite of where the
    // consent stands): the samples stayed readable by support and in exports for up to 30 days. The retention sweep now
    // erases what a withdrawal left, and keeps what a later grant collected, whatever the time its silo's clock gave it.
    [Fact]
    public async Task P1_2_a_withdrawal_whose_erasure_failed_and_is_never_sent_again_is_finished_by_the_retention_sweep()
    {
        var (user, client, version) = await UserWithASampleAsync();
        var failed = await WhileTheirSamplesRefuseErasureAsync(user.UserId, () =>
            client.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/location", new { granted = false, policyVersion = version }));
        var keptMeanwhile = await SamplesOf(user.UserId);

        await platform.Grains.GetGrain<IRetentionGrain>(IRetentionGrain.PlatformKey).Sweep();
        var afterTheSweep = await SamplesOf(user.UserId);
        var regrant = await client.SetConsentAsync(user.UserId, "location", true, version);
        var collected = await client.PostLocationAsync(user.UserId);
        // Collected under the later grant, stamped before the withdrawal by a silo whose clock runs behind.
        await platform.Database.ScalarAsync<int>(
            "INSERT INTO user_location_samples (user_id, at, sealed_sample, consent_receipt_id) VALUES ($1, now() - interval '1 hour', '\\x00', $2) RETURNING 1",
            user.UserId, regrant.ReceiptId);
        await platform.Grains.GetGrain<IRetentionGrain>(IRetentionGrain.PlatformKey).Sweep();

        Assert.False(failed.IsSuccessStatusCode);
        Assert.Equal(1L, keptMeanwhile);
        Assert.Equal(0L, afterTheSweep);
        Assert.Equal(HttpStatusCode.Created, collected.StatusCode);
        Assert.Equal(2L, await SamplesOf(user.UserId));
    }

    // P1.2 (*reviewer*): a withdrawal filed as a data-rights request kept its receipt, then failed to erase the samples; the
    // step run again found the purpose withdrawn and did nothing, and the request completed with the samples still kept.
    [Fact]
    public async Task P1_2_a_withdrawal_request_whose_erasure_failed_erases_the_samples_when_its_step_runs_again()
    {
        var (user, client, _) = await UserWithASampleAsync();
        var (requestId, whileRefused) = await WhileTheirSamplesRefuseErasureAsync(user.UserId, async () =>
        {
            var filed = (await client.FileRequestAsync(user.UserId, new { type = "withdrawal", details = new { purposes = new[] { "location" } } })).RequestId();
            return (filed, (await platform.Grains.GetGrain<IDataRightsRequestGrain>(filed).Drive()).Status);
        });

        var keptMeanwhile = await SamplesOf(user.UserId);
        var done = await client.WaitUntilDoneAsync(requestId);

        Assert.NotEqual(DataRightsRequestStatus.Completed, whileRefused);
        Assert.Equal(1L, keptMeanwhile);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(0L, await SamplesOf(user.UserId));
    }

    // P4.4 (*reviewer*): a repeated withdrawal of location, the same answer again, erased the samples again each time: a
    // DELETE at the user's whole rate where any other repeated answer costs nothing. Once erased, a repeat touches nothing.
    [Fact]
    public async Task P4_4_P1_2_a_withdrawal_repeated_after_its_samples_were_erased_erases_nothing_again()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "location", true, version);
        await client.PostLocationAsync(user.UserId);
        var withdrawn = await client.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/location", new { granted = false, policyVersion = version });
        // Any erasure of samples from here on fails, so a repeat that erased again would fail with it.
        var trigger = $"refuse_{Guid.NewGuid():N}";
        await platform.Database.ScalarAsync<object>($"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'samples refuse'; END $$;
            CREATE TRIGGER {trigger} BEFORE DELETE ON user_location_samples FOR EACH STATEMENT EXECUTE FUNCTION {trigger}();
            """);
        HttpResponseMessage[] repeats;
        try
        {
            repeats = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
                client.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/location", new { granted = false, policyVersion = version })));
        }
        finally
        {
            await platform.Database.ScalarAsync<object>($"DROP TRIGGER {trigger} ON user_location_samples; DROP FUNCTION {trigger}();");
        }

        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.All(repeats, repeat => Assert.Equal(HttpStatusCode.OK, repeat.StatusCode));
        Assert.Equal(0L, await SamplesOf(user.UserId));
    }

    // P1.2, P8.1 (*reviewer*): the route showed the newest 1,000 samples with nextCursor null, while a user may hold 2,880 a
    // day for 30 days: it said the list was whole, and the user could see the rest only in an export.
    [Fact]
    public async Task P1_2_P8_1_the_samples_are_read_a_page_at_a_time_to_the_oldest_one_held_and_support_pages_them_masked()
    {
        const int Held = 1001;
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var keys = platform.EverySilo.First().GetRequiredService<UserDataKeys>();
        var newest = DateTimeOffset.UtcNow.AddHours(-1);
        var samples = Enumerable.Range(0, Held)
            .Select(i => new LocationSample(34.2 + (i * 0.00001), 108.9, 5, LocationSource.Gps, newest.AddMinutes(-i))).ToList();
        var sealedSamples = new List<byte[]>(Held);
        foreach (var sample in samples)
        {
            sealedSamples.Add(await keys.SealAsync(user.UserId, JsonSerializer.SerializeToUtf8Bytes(sample)));
        }

        await platform.Database.ScalarAsync<int>(
            "INSERT INTO user_location_samples (user_id, at, sealed_sample, consent_receipt_id) " +
            "SELECT $1, held.at, held.sealed_sample, 'rcp_paged' FROM unnest($2::timestamptz[], $3::bytea[]) AS held(at, sealed_sample) RETURNING 1",
            user.UserId, samples.Select(sample => sample.At).ToArray(), sealedSamples.ToArray());

        var first = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/locations");
        var cursor = first.GetProperty("nextCursor").GetString();
        var rest = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/locations?cursor={cursor}");
        var pagedBy400 = new List<DateTimeOffset>();
        string? next = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/locations?limit=400" + (next is null ? "" : $"&cursor={next}"));
            pagedBy400.AddRange(page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("at").GetDateTimeOffset()));
            next = page.GetProperty("nextCursor").GetString();
        }
        while (next is not null && pagedBy400.Count <= Held);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Locations", "support")).ApiKey);
        var supportPages = await SupportPagesAsync(support, user.UserId, limit: 1000);

        Assert.Equal(1000, first.GetProperty("items").GetArrayLength());
        Assert.NotNull(cursor);
        var oldest = Assert.Single(rest.GetProperty("items").EnumerateArray());
        Assert.Equal(samples[^1].At, oldest.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextCursor").ValueKind);
        Assert.Equal(samples.Select(sample => sample.At), pagedBy400);
        // Support pages the same samples, coarsened to the city and the hour: every hour they fall in, once.
        var supportItems = supportPages.SelectMany(page => page.GetProperty("items").EnumerateArray()).ToList();
        Assert.Equal(
            samples.Select(sample => HourOf(sample.At)).Distinct(),
            supportItems.Select(item => item.GetProperty("at").GetDateTimeOffset()));
        Assert.All(supportItems, item => Assert.Equal(34.2, item.GetProperty("latitude").GetDouble()));
    }

    // P1.7, P4.4, A.2 (*reviewer*): support's cursor was the exact instant of the oldest sample it was shown, and any
    // instant was taken as one: paging a sample at a time gave back every sample's minute and how many there were, and a
    // made-up cursor probed for a sample before any instant, undoing the coarsening to the hour. Nor does support's limit
    // move where a page ends: where a page of k samples was cut told the hour of the k-th newest.
    [Fact]
    public async Task P1_7_A_2_support_learns_no_samples_minute_from_the_locations_cursor_nor_probes_with_its_own()
    {
        const int Held = 1001;
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var keys = platform.EverySilo.First().GetRequiredService<UserDataKeys>();
        var newest = DateTimeOffset.UtcNow.AddHours(-1);
        var samples = Enumerable.Range(0, Held).Select(i => new LocationSample(34.21, 108.91, 5, LocationSource.Gps, newest.AddMinutes(-i))).ToList();
        var sealedSamples = new List<byte[]>(Held);
        foreach (var sample in samples)
        {
            sealedSamples.Add(await keys.SealAsync(user.UserId, JsonSerializer.SerializeToUtf8Bytes(sample)));
        }

        await platform.Database.ScalarAsync<int>(
            "INSERT INTO user_location_samples (user_id, at, sealed_sample, consent_receipt_id) " +
            "SELECT $1, held.at, held.sealed_sample, 'rcp_minutes' FROM unnest($2::timestamptz[], $3::bytea[]) AS held(at, sealed_sample) RETURNING 1",
            user.UserId, samples.Select(sample => sample.At).ToArray(), sealedSamples.ToArray());

        var support = platform.Client((await platform.EnrolStaffAsync("Agent Minutes", "support")).ApiKey);
        var onePerPage = await SupportPagesAsync(support, user.UserId, limit: 1);
        var aThousandPerPage = await SupportPagesAsync(support, user.UserId, limit: 1000);
        var cursors = onePerPage.Select(page => page.GetProperty("nextCursor").GetString()).OfType<string>().ToList();
        var madeUp = await support.GetAsync($"/v1/users/{user.UserId}/locations?cursor={samples[0].At.AddTicks(1).UtcTicks}");
        var usersOwn = (await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/locations?limit=1")).GetProperty("nextCursor").GetString();
        var withTheUsers = await support.GetAsync($"/v1/users/{user.UserId}/locations?cursor={usersOwn}");
        var other = await platform.RegisterUserAsync();
        var onAnotherUser = await support.GetAsync($"/v1/users/{other.UserId}/locations?cursor={Uri.EscapeDataString(cursors[0])}");

        static List<DateTimeOffset> Hours(List<JsonElement> pages) =>
            [.. pages.SelectMany(page => page.GetProperty("items").EnumerateArray()).Select(item => item.GetProperty("at").GetDateTimeOffset())];

        // Each hour the samples fall in, once, on pages that end where they end whatever the limit asked.
        Assert.Equal(samples.Select(sample => HourOf(sample.At)).Distinct(), Hours(onePerPage));
        Assert.Equal(Hours(aThousandPerPage), Hours(onePerPage));
        Assert.Equal(aThousandPerPage.Count, onePerPage.Count);
        Assert.NotEmpty(cursors);
        Assert.All(cursors, cursor => Assert.False(long.TryParse(cursor, out _), "support's cursor is sealed, not an instant"));
        await madeUp.AssertProblemAsync(HttpStatusCode.BadRequest);
        await withTheUsers.AssertProblemAsync(HttpStatusCode.BadRequest);
        await onAnotherUser.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    private static async Task<List<JsonElement>> SupportPagesAsync(HttpClient support, string userId, int limit)
    {
        var pages = new List<JsonElement>();
        string? next = null;
        do
        {
            var page = await support.GetFromJsonAsync<JsonElement>(
                $"/v1/users/{userId}/locations?limit={limit}" + (next is null ? "" : $"&cursor={Uri.EscapeDataString(next)}"));
            pages.Add(page);
            next = page.GetProperty("nextCursor").GetString();
        }
        while (next is not null && pages.Count < 100);
        return pages;
    }

    private static DateTimeOffset HourOf(DateTimeOffset at) => at.AddTicks(-(at.UtcTicks % TimeSpan.TicksPerHour));

    [Theory]
    [InlineData("not-a-cursor")]
    [InlineData("-1")]
    [InlineData("99999999999999999999")]
    public async Task P1_2_a_cursor_the_samples_list_did_not_give_is_400(string cursor)
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var response = await client.GetAsync($"/v1/users/{user.UserId}/locations?cursor={cursor}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task P1_2_samples_expire_after_the_retention_period()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "location", true, version);
        await client.PostLocationAsync(user.UserId);
        await platform.Database.ScalarAsync<int>(
            "INSERT INTO user_location_samples (user_id, at, sealed_sample, consent_receipt_id) " +
            "VALUES ($1, now() - interval '31 days', '\\x00', 'rcp_old') RETURNING 1", user.UserId);

        await platform.Grains.GetGrain<IRetentionGrain>(IRetentionGrain.PlatformKey).Sweep();

        Assert.Equal(1L, await SamplesOf(user.UserId));
    }

    // *reviewer*: the sweep's steps ran one after another, so one that failed kept every later one from running, and for
    // as long as it kept failing nothing past its period was erased.
    [Fact]
    public async Task P1_2_P1_3_a_step_of_the_retention_sweep_that_fails_keeps_no_other_from_erasing_and_fails_the_sweep()
    {
        var stuck = await platform.RegisterUserAsync();
        var other = await platform.RegisterUserAsync();
        await platform.Database.ScalarAsync<int>(
            "INSERT INTO user_location_samples (user_id, at, sealed_sample, consent_receipt_id) VALUES ($1, now() - interval '31 days', '\\x00', 'rcp_old') RETURNING 1",
            stuck.UserId);
        await platform.Database.ScalarAsync<int>(
            "INSERT INTO user_activity (user_id, at, sealed_entry, basis) VALUES ($1, now() - interval '181 days', '\\x01', 'service-security') RETURNING 1", other.UserId);
        var trigger = $"refuse_{Guid.NewGuid():N}";
        await platform.Database.ScalarAsync<object>($"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'samples refuse'; END $$;
            CREATE TRIGGER {trigger} BEFORE DELETE ON user_location_samples FOR EACH ROW WHEN (OLD.user_id = '{stuck.UserId}') EXECUTE FUNCTION {trigger}();
            """);
        Exception? failed;
        try
        {
            failed = await Record.ExceptionAsync(() => platform.Grains.GetGrain<IRetentionGrain>(IRetentionGrain.PlatformKey).Sweep());
        }
        finally
        {
            await platform.Database.ScalarAsync<object>($"DROP TRIGGER {trigger} ON user_location_samples; DROP FUNCTION {trigger}();");
        }

        var activityLeft = await platform.Database.ScalarAsync<long>("SELECT count(*) FROM user_activity WHERE user_id = $1 AND at < now() - interval '180 days'", other.UserId);
        await platform.Grains.GetGrain<IRetentionGrain>(IRetentionGrain.PlatformKey).Sweep();

        Assert.NotNull(failed);
        Assert.Equal(0L, activityLeft);
        Assert.Equal(0L, await SamplesOf(stuck.UserId));
    }

    [Fact]
    public async Task P1_2_the_retention_sweep_runs_on_a_durable_reminder()
    {
        var reminders = await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM orleans_reminders WHERE reminder_name = 'retention-sweep'");

        Assert.Equal(1L, reminders);
    }

    [Theory]
    [InlineData("{\"latitude\":91,\"longitude\":0,\"accuracyMeters\":1,\"source\":\"gps\"}")]
    [InlineData("{\"latitude\":0,\"longitude\":-181,\"accuracyMeters\":1,\"source\":\"gps\"}")]
    [InlineData("{\"latitude\":0,\"longitude\":0,\"accuracyMeters\":-1,\"source\":\"gps\"}")]
    [InlineData("{\"latitude\":0,\"longitude\":0,\"accuracyMeters\":1,\"source\":\"radar\"}")]
    [InlineData("{\"latitude\":\"north\",\"longitude\":0,\"accuracyMeters\":1,\"source\":\"gps\"}")]
    [InlineData("{\"longitude\":0,\"accuracyMeters\":1,\"source\":\"gps\"}")]
    public async Task Out_of_range_or_mistyped_samples_are_400_and_store_nothing(string body)
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "location", true, version);

        var response = await client.PostAsync($"/v1/users/{user.UserId}/locations", Json.Raw(body));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0L, await SamplesOf(user.UserId));
    }

    // A user who granted location under the current version and sent one sample.
    private async Task<(RegisteredUser User, HttpClient Client, string Version)> UserWithASampleAsync()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "location", true, version);
        await client.PostLocationAsync(user.UserId);
        return (user, client, version);
    }

    // Runs the action while every erasure of this user's samples fails in the database.
    private async Task<T> WhileTheirSamplesRefuseErasureAsync<T>(string userId, Func<Task<T>> action)
    {
        var trigger = $"refuse_{Guid.NewGuid():N}";
        await platform.Database.ScalarAsync<object>($"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'samples refuse'; END $$;
            CREATE TRIGGER {trigger} BEFORE DELETE ON user_location_samples FOR EACH ROW WHEN (OLD.user_id = '{userId}') EXECUTE FUNCTION {trigger}();
            """);
        try
        {
            return await action();
        }
        finally
        {
            await platform.Database.ScalarAsync<object>($"DROP TRIGGER {trigger} ON user_location_samples; DROP FUNCTION {trigger}();");
        }
    }

    private Task<long> SamplesOf(string userId) =>
        platform.Database.ScalarAsync<long>("SELECT count(*) FROM user_location_samples WHERE user_id = $1", userId);
}
