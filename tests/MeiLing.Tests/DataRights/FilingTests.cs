using System.Text.Json;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using MeiLing.Tests.Api;
using MeiLing.Tests.Users;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Core.Internal;

namespace MeiLing.Tests.DataRights;

[Collection(PlatformCollection.Name)]
public sealed class FilingTests(PlatformFixture platform)
{
    [Fact]
    public async Task P8_1_a_request_is_due_exactly_15_days_after_it_is_received()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var view = await client.FileRequestAsync(user.UserId, new { type = "access" });

        Assert.Equal("received", view.GetProperty("status").GetString());
        var received = view.GetProperty("receivedAt").GetDateTimeOffset();
        Assert.Equal(received.AddDays(15), view.GetProperty("dueAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task P8_1_a_second_open_request_of_the_same_type_is_409_naming_the_open_one()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var first = await client.FileRequestAsync(user.UserId, new { type = "access" });

        var second = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/requests", new { type = "access" });

        var problem = await second.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains(first.RequestId(), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task P8_1_once_a_request_is_answered_another_of_its_type_may_be_filed()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var first = await client.FileRequestAsync(user.UserId, new { type = "access" });
        await client.WaitUntilDoneAsync(first.RequestId());

        var second = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/requests", new { type = "access" });

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
    }

    // A crash between the user's entry and the request it names leaves an entry no request will ever
    // close; the user could then never file that type again (never cancel their account).
    [Fact]
    public async Task P8_1_an_open_request_entry_whose_request_was_never_created_does_not_block_a_new_one()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var userGrain = platform.Grains.GetGrain<IUserGrain>(user.UserId);
        await platform.ChangeStoredStateAsync<UserState>(userGrain, "user",
            stored => stored.OpenRequests[DataRightsRequestType.Cancellation] = EntityId.New(EntityId.RequestPrefix));
        await userGrain.Cast<IGrainManagementExtension>().DeactivateOnIdle();

        var response = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/requests", new { type = "cancellation" });

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    // A crash between a request's state and its reminder leaves a received request that nothing wakes.
    [Fact]
    public async Task P8_1_a_received_request_without_a_reminder_is_carried_out_once_it_wakes()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var requestId = EntityId.New(EntityId.RequestPrefix);
        await platform.ChangeStoredStateAsync<DataRightsRequestState>(
            platform.Grains.GetGrain<IDataRightsRequestGrain>(requestId), "data-rights-request",
            stored => stored.Receive(user.UserId, new FileDataRightsRequest(DataRightsRequestType.Access, RequestDetails.None, "user", user.UserId, null, null), platform.Clock.GetUtcNow()));

        var done = await client.WaitUntilDoneAsync(requestId);

        Assert.Equal("completed", done.GetProperty("status").GetString());
    }

    [Fact]
    public async Task P8_1_an_open_request_whose_reminder_was_lost_gets_it_back_from_the_sweep()
    {
        // As after a restore of the reminders table: the request and its index row, no reminder, and nobody reading it.
        var user = await platform.RegisterUserAsync();
        var requestId = EntityId.New(EntityId.RequestPrefix);
        await platform.ChangeStoredStateAsync<DataRightsRequestState>(
            platform.Grains.GetGrain<IDataRightsRequestGrain>(requestId), "data-rights-request",
            stored => stored.Receive(user.UserId, new FileDataRightsRequest(DataRightsRequestType.Access, RequestDetails.None, "user", user.UserId, null, null), platform.Clock.GetUtcNow()));
        await platform.Database.ScalarAsync<int>(
            "INSERT INTO data_rights_requests (request_id, user_id, type, status, received_at, due_at) VALUES ($1, $2, 'Access', 'Received', now(), now() + interval '15 days') RETURNING 1",
            requestId, user.UserId);

        await new OpenRequestSweep(platform.Grains, new DataRightsRequestIndexStore(platform.Database.DataSource), NullLogger<OpenRequestSweep>.Instance).RunOnceAsync();

        Assert.Equal(1L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM orleans_reminders WHERE position($1 in grain_id) > 0", requestId));
    }

    [Fact]
    public async Task P1_7_support_must_give_reason_and_verification()
    {
        var user = await platform.RegisterUserAsync();
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Wang", "support")).ApiKey);

        var missing = await support.PostAsJsonAsync($"/v1/users/{user.UserId}/requests", new { type = "access", reason = "user called" });
        var filed = await support.PostAsJsonAsync($"/v1/users/{user.UserId}/requests",
            new { type = "access", reason = "user called the hotline", verification = "SMS code to the registered number" });

        var problem = await missing.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("verification", out _));
        Assert.Equal(HttpStatusCode.Accepted, filed.StatusCode);
    }

    [Theory]
    [InlineData("{\"type\":\"telepathy\"}")]
    [InlineData("{\"type\":\"deletion\",\"details\":{\"categories\":[\"everything\"]}}")]
    [InlineData("{\"type\":\"deletion\"}")]
    [InlineData("{\"type\":\"withdrawal\",\"details\":{\"purposes\":[\"mind-reading\"]}}")]
    [InlineData("{\"type\":\"correction\",\"details\":{}}")]
    [InlineData("{\"type\":\"access\",\"reason\":42}")]
    public async Task Bad_requests_are_400_and_file_nothing(string body)
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var response = await client.PostAsync($"/v1/users/{user.UserId}/requests", Json.Raw(body));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM data_rights_requests WHERE user_id = $1", user.UserId));
    }

    [Fact]
    public async Task A_correction_to_a_nickname_of_only_spaces_is_400_naming_it_and_files_nothing()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var response = await client.PostAsync($"/v1/users/{user.UserId}/requests", Json.Raw("{\"type\":\"correction\",\"details\":{\"nickname\":\"   \"}}"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), error => error.Name.EndsWith("nickname", StringComparison.Ordinal));
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM data_rights_requests WHERE user_id = $1", user.UserId));
    }

    [Fact]
    public async Task A_correction_with_an_empty_delivery_is_400_naming_the_field_and_files_nothing()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var response = await client.PostAsync($"/v1/users/{user.UserId}/requests", Json.Raw("{\"type\":\"correction\",\"details\":{\"delivery\":{}}}"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("details.delivery", out _));
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM data_rights_requests WHERE user_id = $1", user.UserId));
    }

    [Fact]
    public async Task A_request_for_an_unknown_user_is_404()
    {
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Zhao", "support")).ApiKey);

        var response = await support.PostAsJsonAsync("/v1/users/usr_aaaaaaaaaaaaaaaaaaaaaaaaaa/requests",
            new { type = "access", reason = "r", verification = "v" });

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_users_request_is_404()
    {
        var owner = await platform.RegisterUserAsync();
        var view = await (await platform.AsUserAsync(owner)).FileRequestAsync(owner.UserId, new { type = "access" });
        var stranger = await platform.AsUserAsync(await platform.RegisterUserAsync());

        var response = await stranger.GetAsync($"/v1/requests/{view.RequestId()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Every_step_of_a_request_is_in_the_audit_log()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "location", true, version);
        var view = await client.FileRequestAsync(user.UserId, new { type = "withdrawal", details = new { purposes = new[] { "location", "album" } } });
        await client.WaitUntilDoneAsync(view.RequestId());

        var actions = await platform.Database.ScalarAsync<string>(
            "SELECT string_agg(action, ',' ORDER BY sequence) FROM audit_log WHERE subject_user_id = $1 AND action LIKE 'withdrawal:%'", user.UserId);

        Assert.Equal("withdrawal:received,withdrawal:withdraw-location,withdrawal:withdraw-album,withdrawal:notify-recipients,withdrawal:completed", actions);
    }
}
