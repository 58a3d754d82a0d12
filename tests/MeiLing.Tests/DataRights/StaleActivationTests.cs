using MeiLing.Grains.DataRights;

namespace MeiLing.Tests.DataRights;

[Collection(TimeTravelCollection.Name)]
public sealed class StaleActivationTests(TimeTravelFixture platform)
{
    // P8.1: a request must never be lost. A silo declared dead may still write a request's row before it
    // stops; the surviving activation's ETag is then stale, and unless it steps aside every later drive
    // fails on the same write and the request stays in progress for ever.
    [Fact]
    public async Task P8_1_a_request_whose_row_was_written_behind_its_back_still_completes()
    {
        var (_, request) = await platform.UserWithRequestAsync("cancellation");
        await platform.Database.ScalarAsync<int>(
            "UPDATE orleans_storage SET version = version + 1 WHERE grain_id_string = $1 RETURNING version", request.GetPrimaryKeyString());

        var interrupted = await request.Drive();
        var resumed = await request.Drive();

        Assert.NotEqual(DataRightsRequestStatus.Completed, interrupted.Status);
        Assert.Equal(DataRightsRequestStatus.Completed, resumed.Status);
        Assert.True(resumed.Receipt!.Verified);
    }
}
