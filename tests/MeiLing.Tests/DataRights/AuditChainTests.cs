using MeiLing.Grains.Audit;

namespace MeiLing.Tests.DataRights;

// The time-travel platform: its requests wait to be driven by hand, so nothing else appends meanwhile.
[Collection(TimeTravelCollection.Name)]
public sealed class AuditChainTests(TimeTravelFixture platform)
{
    // P8.1: every step of every request and every support action is audited. An entry another activation
    // appended (one on a silo being declared dead) must not leave the audit grain colliding on every
    // later entry, which would stop all audited work.
    [Fact]
    public async Task P8_1_an_entry_appended_behind_the_audit_grains_back_does_not_stop_the_chain()
    {
        var audit = platform.Grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey);
        var head = await audit.Append(new AuditEntry("test", "tst_first", "test:first", "usr_audit", "{}"));
        var behind = new AuditEntry("test", "tst_behind", "test:behind-its-back", "usr_audit", "{}");
        var at = new DateTimeOffset(head.At.UtcTicks + 10, TimeSpan.Zero);
        await platform.Database.ScalarAsync<long>("""
            INSERT INTO audit_log (sequence, at, actor_role, actor_id, action, subject_user_id, detail, previous_hash, hash)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING sequence
            """,
            head.Sequence + 1, at, behind.ActorRole, behind.ActorId, behind.Action, behind.SubjectUserId!, behind.Detail!,
            head.Hash, AuditLogGrain.Chain(head.Hash, head.Sequence + 1, at, behind));

        var next = await audit.Append(new AuditEntry("test", "tst_after", "test:after", "usr_audit", "{}"));
        var verification = await audit.Verify();

        Assert.Equal(head.Sequence + 2, next.Sequence);
        Assert.True(verification.Intact);
    }
}
