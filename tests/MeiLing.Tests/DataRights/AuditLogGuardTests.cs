using MeiLing.Grains.Audit;
using MeiLing.Tests.Api;
using Npgsql;

namespace MeiLing.Tests.DataRights;

// The time-travel platform: its requests wait to be driven by hand, so nothing else appends meanwhile.
[Collection(TimeTravelCollection.Name)]
public sealed class AuditLogGuardTests(TimeTravelFixture platform)
{
    private IAuditLogGrain Log => platform.Grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey);

    [Fact]
    public async Task P8_1_a_written_audit_entry_cannot_be_rewritten()
    {
        var written = await Log.Append(new AuditEntry("test", "tst_rewrite", "test:rewrite", "usr_audit", "{}"));

        var rewrite = () => platform.Database.ScalarAsync<string>(
            "UPDATE audit_log SET action = 'nothing to see' WHERE sequence = $1 RETURNING action", written.Sequence);

        await Assert.ThrowsAsync<PostgresException>(rewrite);
        Assert.Equal("test:rewrite", await platform.Database.ScalarAsync<string>("SELECT action FROM audit_log WHERE sequence = $1", written.Sequence));
    }

    [Fact]
    public async Task P8_1_a_written_audit_entry_cannot_be_deleted()
    {
        var written = await Log.Append(new AuditEntry("test", "tst_delete", "test:delete", "usr_audit", "{}"));

        var delete = () => platform.Database.ScalarAsync<long>("DELETE FROM audit_log WHERE sequence = $1 RETURNING sequence", written.Sequence);

        await Assert.ThrowsAsync<PostgresException>(delete);
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE sequence = $1", written.Sequence));
    }

    // The chain still links up to its new end when its newest entries are cut off; only the head kept
    // beside the log shows that entries are missing.
    [Fact]
    public async Task P8_1_removing_the_newest_audit_entry_is_detected()
    {
        var newest = await Log.Append(new AuditEntry("test", "tst_tail", "test:tail", "usr_audit", "{}"));
        var previousHash = await platform.Database.ScalarAsync<string>("SELECT previous_hash FROM audit_log WHERE sequence = $1", newest.Sequence);

        await platform.Database.BypassingTriggersAsync("DELETE FROM audit_log WHERE sequence = $1", newest.Sequence);
        var verification = await Log.Verify();
        await platform.Database.BypassingTriggersAsync("""
            INSERT INTO audit_log (sequence, at, actor_role, actor_id, action, subject_user_id, detail, previous_hash, hash)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """,
            newest.Sequence, newest.At, newest.Entry.ActorRole, newest.Entry.ActorId, newest.Entry.Action,
            newest.Entry.SubjectUserId!, newest.Entry.Detail!, previousHash!, newest.Hash);

        Assert.False(verification.Intact);
        Assert.Equal(newest.Sequence, verification.FirstBrokenSequence);
    }

    // P1.7, P8.1 (*reviewer*): the chain was verified by tests alone; no route, reminder or tool walked it, so an entry cut off
    // by someone who set the guard aside went unnoticed. Operators walk it on asking, and the silo once a day.
    [Fact]
    public async Task P1_7_P8_1_an_operator_verifies_the_audit_chain_and_the_silo_checks_it_daily()
    {
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Verify", "support")).ApiKey);

        var bySupport = await support.GetAsync("/v1/audit-log/verification");
        var intact = await platform.Operator().GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/audit-log/verification");
        var newest = await Log.Append(new AuditEntry("test", "tst_verify", "test:verify", "usr_audit", "{}"));
        var previousHash = await platform.Database.ScalarAsync<string>("SELECT previous_hash FROM audit_log WHERE sequence = $1", newest.Sequence);
        await platform.Database.BypassingTriggersAsync("DELETE FROM audit_log WHERE sequence = $1", newest.Sequence);
        AuditChainCheck broken;
        try
        {
            // The watch's own check (the daily reminder's), with no call in between that could append after the cut.
            broken = await platform.Grains.GetGrain<IAuditChainWatchGrain>(IAuditChainWatchGrain.PlatformKey).Check();
        }
        finally
        {
            await platform.Database.BypassingTriggersAsync("""
                INSERT INTO audit_log (sequence, at, actor_role, actor_id, action, subject_user_id, detail, previous_hash, hash)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """,
                newest.Sequence, newest.At, newest.Entry.ActorRole, newest.Entry.ActorId, newest.Entry.Action,
                newest.Entry.SubjectUserId!, newest.Entry.Detail!, previousHash!, newest.Hash);
        }

        Assert.True(intact.GetProperty("intact").GetBoolean());
        Assert.True(intact.GetProperty("entriesChecked").GetInt64() > 0);
        Assert.Equal(HttpStatusCode.Forbidden, bySupport.StatusCode);
        Assert.False(broken.Intact);
        Assert.Equal(newest.Sequence, broken.FirstBrokenSequence);
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM orleans_reminders WHERE reminder_name = 'audit-chain-check'"));
    }
}
