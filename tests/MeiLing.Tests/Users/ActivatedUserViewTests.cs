using System.Text.Json;
using MeiLing.Grains.Users;
using MeiLing.Tests.Api;
using MeiLing.Tests.DataRights;
using Orleans.TestingHost;

namespace MeiLing.Tests.Users;

/// <summary>
/// The co-hosted API reads a user's consents from the view the user's grain published in its silo, without calling the
/// grain. Each test here holds that view to what the grain itself would answer: at once after a change, never to an
/// ended session, never for an erased user. In the separate topology the same requests reach the grain.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ActivatedUserViewTests(PlatformFixture platform)
{
    private const string NewPassword = "a fresh passphrase 42";

    [Fact]
    public async Task P1_1_a_withdrawal_is_read_back_at_once_by_the_api_beside_the_users_grain()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await UserBesideTheApiAsync();
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "marketing-sharing", true, version);
        Assert.True(await GrantedAsync(client, user.UserId, "marketing-sharing"));

        await client.SetConsentAsync(user.UserId, "marketing-sharing", false, version);

        Assert.False(await GrantedAsync(client, user.UserId, "marketing-sharing"));
    }

    [Fact]
    public async Task P4_4_each_user_beside_the_api_reads_their_own_rendered_consents_and_never_another_users()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var (granting, other) = (await UserBesideTheApiAsync(), await UserBesideTheApiAsync());
        var (grantingClient, otherClient) = (await platform.AsUserAsync(granting), await platform.AsUserAsync(other));
        await grantingClient.SetConsentAsync(granting.UserId, "marketing-sharing", true, version);
        // Rendered once for the granting user's view, and kept with it for the reads that follow.
        Assert.True(await GrantedAsync(grantingClient, granting.UserId, "marketing-sharing"));

        var others = await otherClient.GetAsync($"/v1/users/{granting.UserId}/consents");

        await others.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.False(await GrantedAsync(otherClient, other.UserId, "marketing-sharing"));
        Assert.True(await GrantedAsync(grantingClient, granting.UserId, "marketing-sharing"));
    }

    [Fact]
    public async Task P4_4_a_session_signed_out_or_ended_by_a_password_change_reads_no_consents_beside_the_users_grain()
    {
        var user = await UserBesideTheApiAsync();
        var (signedOut, changing, other) = (await platform.AsUserAsync(user), await platform.AsUserAsync(user), await platform.AsUserAsync(user));
        var consents = $"/v1/users/{user.UserId}/consents";
        foreach (var session in new[] { signedOut, changing, other })
        {
            Assert.Equal(HttpStatusCode.OK, (await session.GetAsync(consents)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await signedOut.DeleteAsync("/v1/sessions/current")).StatusCode);

        var replayed = await (await signedOut.GetAsync(consents)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.EndsWith("/session-ended", replayed.TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(consents)).StatusCode);

        var changed = await changing.PostAsJsonAsync($"/v1/users/{user.UserId}/password", new { currentPassword = user.Password, newPassword = NewPassword });

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        await (await other.GetAsync(consents)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await changing.GetAsync(consents)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var renewed = platform.Client();
        renewed.DefaultRequestHeaders.Authorization = new("Bearer", changed.Headers.GetValues("X-Session-Token").Single());
        Assert.Equal(HttpStatusCode.OK, (await renewed.GetAsync(consents)).StatusCode);
    }

    [Fact]
    public async Task P4_1_a_cancelled_users_consents_are_404_where_the_api_had_read_them_beside_the_grain()
    {
        var user = await UserBesideTheApiAsync();
        var client = await platform.AsUserAsync(user);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent View", "support")).ApiKey);
        var consents = $"/v1/users/{user.UserId}/consents";
        Assert.Equal(HttpStatusCode.OK, (await support.GetAsync(consents)).StatusCode);

        var cancellation = await client.FileRequestAsync(user.UserId, new { type = "cancellation" });
        await support.WaitUntilDoneAsync(cancellation.RequestId());

        await (await support.GetAsync(consents)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.All(platform.EverySilo, silo => Assert.Null(silo.GetRequiredService<IActivatedUserViews>().Find(user.UserId)));
    }

    /// <summary>
    /// A user whose grain is activated in the silo the co-hosted API runs in, so its reads take the view; the cluster
    /// has two silos and places new users on either. In the separate topology, any user.
    /// </summary>
    private async Task<RegisteredUser> UserBesideTheApiAsync()
    {
        var beside = ((InProcessSiloHandle)platform.Cluster.Primary!).SiloHost.Services.GetRequiredService<IActivatedUserViews>();
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var user = await platform.RegisterUserAsync();
            if (!PlatformFixture.IsCohosted || beside.Find(user.UserId) is not null)
            {
                return user;
            }
        }

        throw new InvalidOperationException("No new user's grain was placed in the API's silo in 40 registrations.");
    }

    private static async Task<bool> GrantedAsync(HttpClient client, string userId, string purpose)
    {
        var consents = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{userId}/consents");
        return consents.GetProperty("items").EnumerateArray().Single(item => item.GetProperty("purpose").GetString() == purpose).GetProperty("granted").GetBoolean();
    }
}
