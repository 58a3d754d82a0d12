using MeiLing.Grains.DataRights;

namespace MeiLing.Tests.DataRights;

[Collection(TimeTravelCollection.Name)]
public sealed class RequestWritesTests(TimeTravelFixture platform)
{
    // Each step is one write of the request's row carrying the step and its audit mark; besides them only the
    // receipt, the outcome decided (written before anything follows from it) and the outcome are written. The row's
    // version counts every write Orleans made of it.
    [Fact]
    public async Task P8_1_a_cancellation_writes_its_state_at_most_once_per_step()
    {
        var (user, request) = await platform.UserWithRequestAsync("cancellation");

        var done = await request.Drive();

        Assert.Equal(DataRightsRequestStatus.Completed, done.Status);
        Assert.True(done.Receipt!.Verified);
        var writes = await platform.Database.ScalarAsync<int>(
            "SELECT version FROM orleans_storage WHERE grain_id_string = $1", request.GetPrimaryKeyString());
        Assert.InRange(writes, RequestPlans.Cancellation.Count, RequestPlans.Cancellation.Count + 3);
        var audited = await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE subject_user_id = $1 AND action LIKE 'cancellation:%'", user.UserId);
        Assert.Equal(RequestPlans.Cancellation.Count + 2, audited);
    }
}
