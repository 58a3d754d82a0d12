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

        var logged = await Eventually(() => platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM user_activity WHERE user_id = $1 AND search_terms = 'green tea' AND language = 'zh-CN' " +
            "AND operating_system = 'Android' AND user_agent LIKE '%MeiLingPOS%' AND path = $2 AND basis = 'service-security'",
            user.UserId, $"/v1/users/{user.UserId}"));
        Assert.Equal(1L, logged);
    }

    [Fact]
    public async Task P1_3_entries_expire_after_the_retention_period()
    {
        var user = await platform.RegisterUserAsync();
        await platform.Database.ScalarAsync<int>(
            "INSERT INTO user_activity (user_id, at, path, basis) VALUES ($1, now() - interval '181 days', '/old', 'service-security'), " +
            "($1, now() - interval '179 days', '/recent', 'service-security') RETURNING 1", user.UserId);

        await platform.Grains.GetGrain<IRetentionGrain>(IRetentionGrain.PlatformKey).Sweep();

        Assert.Equal("/recent", await platform.Database.ScalarAsync<string>("SELECT string_agg(path, ',') FROM user_activity WHERE user_id = $1", user.UserId));
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
