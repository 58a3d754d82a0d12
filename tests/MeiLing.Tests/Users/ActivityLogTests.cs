using MeiLing.Grains.Activity;
using MeiLing.Grains.Retention;

namespace MeiLing.Tests.Users;

[Collection(PlatformCollection.Name)]
public sealed class ActivityLogTests(PlatformFixture platform)
{
    [Fact]
    public async Task P1_3_a_signed_in_users_requests_are_logged_with_ip_agent_language_os_path_and_search()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        client.DefaultRequestHeaders.Add("User-Agent", "Mozilla/5.0 (Linux; Android 14) MeiLingPOS/3.2");
        client.DefaultRequestHeaders.Add("Accept-Language", "zh-CN,zh;q=0.9");

        await client.GetAsync($"/v1/users/{user.UserId}?q=green+tea");

        await Eventually(() => platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM user_activity WHERE user_id = $1 AND basis = 'service-security'", user.UserId));
        var entry = Assert.Single(await platform.Grains.GetGrain<IActivityLogGrain>(0).GetUserActivity(user.UserId, 10));

        Assert.Equal("green tea", entry.SearchTerms);
        Assert.Equal("zh-CN", entry.Language);
        Assert.Equal("Android", entry.OperatingSystem);
        Assert.Contains("MeiLingPOS", entry.UserAgent, StringComparison.Ordinal);
        Assert.Equal($"/v1/users/{user.UserId}", entry.Path);
    }

    [Fact]
    public async Task P1_3_entries_expire_after_the_retention_period()
    {
        var user = await platform.RegisterUserAsync();
        await platform.Database.ScalarAsync<int>(
            "INSERT INTO user_activity (user_id, at, sealed_entry, basis) VALUES ($1, now() - interval '181 days', '\\x01', 'service-security'), " +
            "($1, now() - interval '179 days', '\\x02', 'service-security') RETURNING 1", user.UserId);

        await platform.Grains.GetGrain<IRetentionGrain>(IRetentionGrain.PlatformKey).Sweep();

        Assert.Equal("\\x02", await platform.Database.ScalarAsync<string>("SELECT string_agg(sealed_entry::text, ',') FROM user_activity WHERE user_id = $1", user.UserId));
    }

    private static async Task<long> Eventually(Func<Task<long>> probe)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var value = await probe();
            if (value > 0)
            {
                return value;
            }

            await Task.Delay(100);
        }

        return await probe();
    }
}
