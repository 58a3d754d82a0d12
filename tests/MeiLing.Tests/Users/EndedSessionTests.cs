using MeiLing.Grains.Users;

namespace MeiLing.Tests.Users;

// P1.1: sessions the user grain can revoke all at once. The API does not ask the user grain before each
// request; the session rides on the request's first grain call. These check every path that can take.
[Collection(PlatformCollection.Name)]
public sealed class EndedSessionTests(PlatformFixture platform)
{
    [Fact]
    public async Task P1_1_an_ended_session_is_refused_where_the_first_grain_call_is_the_users_own()
    {
        var (user, ended) = await SignedOutAsync();

        var response = await ended.GetAsync($"/v1/users/{user.UserId}/consents");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.StartsWith("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task P1_1_an_ended_session_is_refused_where_the_first_grain_call_is_another_grain()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var receipt = await client.SetConsentAsync(user.UserId, "album", true, version);
        await client.DeleteAsync("/v1/sessions");

        var response = await client.GetAsync($"/v1/consent-records/{receipt.ReceiptId}");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task P1_1_an_ended_session_is_refused_where_the_endpoint_calls_no_grain()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var (user, ended) = await SignedOutAsync();

        var response = await ended.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/telepathy", new { granted = true, policyVersion = version });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task P1_1_an_ended_session_changes_nothing()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var (user, ended) = await SignedOutAsync();

        var response = await ended.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/album", new { granted = true, policyVersion = version });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Empty(await platform.Grains.GetGrain<IUserConsents>(user.UserId).GetConsentHistory());
    }

    private async Task<(RegisteredUser User, HttpClient Ended)> SignedOutAsync()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var signOut = await client.DeleteAsync("/v1/sessions");
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        return (user, client);
    }
}
