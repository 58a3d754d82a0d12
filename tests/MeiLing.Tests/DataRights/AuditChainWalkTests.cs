using System.Text.Json;
using MeiLing.Grains.Audit;
using MeiLing.Tests.Api;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.DataRights;

// The time-travel platform: its requests wait to be driven by hand, so nothing else appends meanwhile.
[Collection(TimeTravelCollection.Name)]
public sealed class AuditChainWalkTests(TimeTravelFixture platform)
{
    private const int PageSize = TestSiloConfigurator.AuditVerifyPageSize;

    private IAuditLogGrain Log => platform.Grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey);

    private IAuditChainWatchGrain Watch => platform.Grains.GetGrain<IAuditChainWatchGrain>(IAuditChainWatchGrain.PlatformKey);

    // P8.1 (*reviewer*): the whole log was read and hashed in one query and one grain call, which outgrew the call's timeout
    // (the daily check then went silent). The walk reads a page at a time, carrying the running hash, and still finds an
    // entry changed pages in.
    [Fact]
    public async Task P8_1_the_chain_is_walked_a_page_at_a_time_and_a_changed_entry_pages_in_is_found()
    {
        await Log.AppendEach([.. Enumerable.Range(0, PageSize * 3).Select(n => new AuditEntry("test", "tst_paged", "test:paged", "usr_audit", $"{{\"n\":{n}}}"))]);
        var entries = await platform.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log");
        var pagesBefore = HeldAuditPages.Pages(platform.Clock);

        var intact = await Watch.Check();
        var pagesRead = HeldAuditPages.Pages(platform.Clock) - pagesBefore;

        // Past the first page and before the last: found only by a walk that carries the hash from page to page.
        var changed = entries - PageSize;
        var original = await platform.Database.ScalarAsync<string>("SELECT action FROM audit_log WHERE sequence = $1", changed);
        await platform.Database.BypassingTriggersAsync("UPDATE audit_log SET action = 'nothing to see' WHERE sequence = $1", changed);
        AuditChainCheck broken;
        try
        {
            broken = await Watch.Check();
        }
        finally
        {
            await platform.Database.BypassingTriggersAsync("UPDATE audit_log SET action = $2 WHERE sequence = $1", changed, original!);
        }

        Assert.True(intact.Intact);
        Assert.True(intact.EntriesChecked >= entries);
        Assert.True(pagesRead >= entries / PageSize, $"{entries} entries read in {pagesRead} pages of {PageSize}");
        Assert.True(changed > PageSize);
        Assert.False(broken.Intact);
        Assert.Equal(changed, broken.FirstBrokenSequence);
    }

    // P8.1, P1.7 (*reviewer*): the walk ran on one of the audit log's workers, the ones every support call, request step and
    // operator act appends through, and a walk outlasting its caller's timeout left it running while the next call started
    // another, until none was left to append. Now, with a walk held halfway: an audited support read is answered (its entry
    // written), and a second check arriving meanwhile shares that walk instead of queueing behind it or starting another.
    [Fact]
    public async Task P8_1_an_audited_call_is_answered_while_the_chain_is_walked_and_a_second_check_shares_the_walk()
    {
        var agent = await platform.EnrolStaffAsync("Agent Walk", "support");
        var user = await platform.RegisterUserAsync();
        var support = platform.Client(agent.ApiKey);

        Task<HttpResponseMessage> first;
        Task<AuditChainCheck> second;
        HttpResponseMessage read;
        long auditedWhileWalking;
        bool answeredWhileHeld;
        using (HeldAuditPages.Hold(platform.Clock))
        {
            first = platform.Operator().GetAsync("/v1/audit-log/verification");
            await Polling.UntilAsync(() => Task.FromResult(HeldAuditPages.Waiting(platform.Clock) > 0));

            read = await support.GetAsync($"/v1/users/{user.UserId}");
            auditedWhileWalking = await platform.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE actor_id = $1", agent.StaffId);

            var checksBefore = HeldAuditPages.Checks(platform.Clock);
            second = Watch.Check();
            // Begun inside the watch while the walk is still held: a check queued behind the walk would never get here.
            await Polling.UntilAsync(() => Task.FromResult(HeldAuditPages.Checks(platform.Clock) > checksBefore));
            answeredWhileHeld = first.IsCompleted || second.IsCompleted;
        }

        var answered = await first;
        var shared = await second;
        var body = await answered.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.True(auditedWhileWalking >= 1);
        Assert.False(answeredWhileHeld);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.True(body.GetProperty("intact").GetBoolean());
        Assert.True(shared.Intact);
        Assert.Equal(body.GetProperty("checkedAt").GetDateTimeOffset(), shared.CheckedAt);
        Assert.Equal(body.GetProperty("entriesChecked").GetInt64(), shared.EntriesChecked);
    }
}
