using MeiLing.Grains.DataRights;
using MeiLing.Grains.Users;

namespace MeiLing.Tests.Users;

/// <summary>P1.1, P5.1: what happens when time runs out — codes expire, an unconfirmed child's data is deleted.</summary>
[Collection(TimeTravelCollection.Name)]
public sealed class IdentityTimeTravelTests(TimeTravelFixture platform)
{
    [Fact]
    public async Task P1_1_a_code_older_than_5_minutes_no_longer_registers()
    {
        var phone = UserApiClient.NewPhone();
        var code = await platform.ObtainCodeAsync(phone, "register");
        platform.Clock.Advance(TimeSpan.FromMinutes(6));

        var response = await platform.Client().PostAsJsonAsync("/v1/users", new { phone, password = "long enough", nickname = "n", verificationCode = code });

        Assert.EndsWith("/verification-failed", (await response.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task P5_1_a_child_whose_guardian_never_confirms_is_erased_after_the_deadline_keeping_a_request_record_without_personal_data()
    {
        var child = await platform.RegisterUserAsync(new
        {
            birthDate = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-9),
            guardianConsent = new { guardianName = "李强", guardianPhone = UserApiClient.NewPhone(), relationship = "father" },
        });
        var user = platform.Grains.GetGrain<IUserGrain>(child.UserId);

        var early = await user.EnforceGuardianDeadline();
        platform.Clock.Advance(TimeSpan.FromDays(8));
        var requestId = await user.EnforceGuardianDeadline();
        var request = platform.Grains.GetGrain<IDataRightsRequestGrain>(requestId!);
        var view = await request.Drive();
        for (var i = 0; i < 5 && view.Status != DataRightsRequestStatus.Completed; i++)
        {
            view = await request.Drive();
        }

        Assert.Null(early);
        Assert.Equal(DataRightsRequestType.Cancellation, view.Type);
        Assert.Equal("platform", view.FiledBy);
        Assert.Equal(DataRightsRequestStatus.Completed, view.Status);
        Assert.Null(await user.GetProfile());
        var stored = await platform.Database.ScalarAsync<string>(
            "SELECT convert_from(payload, 'UTF8') FROM orleans_storage WHERE grain_id_string = $1", requestId!);
        Assert.DoesNotContain(child.Phone, stored!, StringComparison.Ordinal);
        Assert.DoesNotContain("李强", stored!, StringComparison.Ordinal);
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM orleans_reminders WHERE position($1 in grain_id) > 0", child.UserId));
        Assert.Equal(HttpStatusCode.Created, (await platform.Client().PostAsJsonAsync("/v1/users", new
        {
            phone = child.Phone, password = "long enough", nickname = "again", verificationCode = await platform.ObtainCodeAsync(child.Phone, "register"),
        })).StatusCode);
    }
}
