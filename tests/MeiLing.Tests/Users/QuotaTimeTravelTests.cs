using MeiLing.Grains.Privacy;
using MeiLing.Grains.Users;
using Orleans.Core.Internal;

namespace MeiLing.Tests.Users;

/// <summary>P4.4: allowances counted per day, reached by moving the cluster's clock.</summary>
[Collection(TimeTravelCollection.Name)]
public sealed class QuotaTimeTravelTests(TimeTravelFixture platform)
{
    // P4.4, P1.10: every consent change is a receipt kept for good; with the minute's allowance alone, a stolen session
    // flipping a consent wrote 86,400 of them a day.
    [Fact]
    public async Task P4_4_P1_10_consent_changes_past_the_days_allowance_are_429_and_write_no_receipt()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var perMinute = new PrivacySettings().ConsentChangesPerMinute;
        Task<HttpResponseMessage> FlipAsync(int change) =>
            client.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/marketing-sharing", new { granted = change % 2 == 0, policyVersion = version });

        // Every grant is counted; a withdrawal of what is granted never is (P1.2): the day's allowance is its grants.
        var withinTheDay = await FlipForADayAsync(FlipAsync, 2 * TestSiloConfigurator.ConsentChangesPerDay, perMinute);

        platform.Clock.Advance(TimeSpan.FromMinutes(1));
        var receipts = await ReceiptsAsync(user.UserId);
        var beyond = await FlipAsync(2 * TestSiloConfigurator.ConsentChangesPerDay);
        var receiptsAfterRefusal = await ReceiptsAsync(user.UserId);
        platform.Clock.Advance(TimeSpan.FromDays(1));
        client = await platform.AsUserAsync(user);
        var nextDay = await FlipAsync(2 * TestSiloConfigurator.ConsentChangesPerDay);

        Assert.All(withinTheDay, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.EndsWith("/quota-exceeded", (await beyond.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(receipts, receiptsAfterRefusal);
        Assert.Equal(HttpStatusCode.OK, nextDay.StatusCode);
    }

    // P1.2, P4.1 (*reviewer*): a copied session that spent the day's consent changes flipping one purpose left the owner's
    // withdrawal of another 429 for a day, and the processing it withdrew went on.
    [Fact]
    public async Task P1_2_a_withdrawal_is_taken_after_the_days_consent_changes_are_spent()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        (await client.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/location", new { granted = true, policyVersion = version })).EnsureSuccessStatusCode();
        Task<HttpResponseMessage> FlipAsync(int change) =>
            client.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/marketing-sharing", new { granted = change % 2 == 0, policyVersion = version });
        await FlipForADayAsync(FlipAsync, 2 * (TestSiloConfigurator.ConsentChangesPerDay - 1), new PrivacySettings().ConsentChangesPerMinute);
        platform.Clock.Advance(TimeSpan.FromMinutes(1));

        var grantRefused = await FlipAsync(0);
        var withdrawn = await client.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/location", new { granted = false, policyVersion = version });
        var sample = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/locations", new { latitude = 31.2, longitude = 121.5, accuracyMeters = 12.5, source = "gps" });

        Assert.EndsWith("/quota-exceeded", (await grantRefused.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        await sample.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    private async Task<List<HttpStatusCode>> FlipForADayAsync(Func<int, Task<HttpResponseMessage>> flip, int changes, int perMinute)
    {
        var statuses = new List<HttpStatusCode>();
        for (var change = 0; change < changes; change++)
        {
            if (change > 0 && change % perMinute == 0)
            {
                platform.Clock.Advance(TimeSpan.FromMinutes(1));
            }

            statuses.Add((await flip(change)).StatusCode);
        }

        return statuses;
    }

    // P4.4: a session sending a location sample every second (the minute's allowance) stored 86,400 sealed rows a day,
    // kept for the retention period and decrypted at every export. The day's count lived in the activation's memory, so a
    // session pausing 15 minutes short of a quarter of it (which held the activation) came back to a fresh count.
    [Fact]
    public async Task P1_2_P4_4_location_samples_past_the_days_allowance_are_429_and_store_nothing_across_activations()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await client.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/location", new { granted = true, policyVersion = version });
        var perMinute = new PrivacySettings().LocationSamplesPerMinute;

        var withinTheDay = new List<HttpStatusCode>();
        for (var sample = 0; sample < TestSiloConfigurator.LocationSamplesPerDay; sample++)
        {
            if (sample > 0 && sample % perMinute == 0)
            {
                platform.Clock.Advance(TimeSpan.FromMinutes(1));
            }

            if (sample == TestSiloConfigurator.LocationSamplesPerDay / 5)
            {
                // The activation leaves, as an idle one does after 15 minutes.
                await platform.Grains.GetGrain<IUserLocations>(user.UserId).EndActivationAsync();
            }

            withinTheDay.Add((await client.PostLocationAsync(user.UserId)).StatusCode);
        }

        platform.Clock.Advance(TimeSpan.FromMinutes(1));
        var beyond = await client.PostLocationAsync(user.UserId);
        var stored = await platform.Database.ScalarAsync<long>("SELECT count(*) FROM user_location_samples WHERE user_id = $1", user.UserId);
        platform.Clock.Advance(TimeSpan.FromDays(1));
        client = await platform.AsUserAsync(user);
        var nextDay = await client.PostLocationAsync(user.UserId);

        Assert.All(withinTheDay, status => Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.NoContent or HttpStatusCode.Accepted, $"{status}"));
        Assert.EndsWith("/quota-exceeded", (await beyond.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(TestSiloConfigurator.LocationSamplesPerDay, stored);
        Assert.True(nextDay.IsSuccessStatusCode, $"{nextDay.StatusCode}");
    }

    private Task<long> ReceiptsAsync(string userId) =>
        platform.Database.ScalarAsync<long>("SELECT count(*) FROM consent_receipts WHERE user_id = $1", userId);
}
