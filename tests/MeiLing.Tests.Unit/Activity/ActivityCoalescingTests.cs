using MeiLing.Grains.Activity;

namespace MeiLing.Tests.Unit.Activity;

public sealed class ActivityCoalescingTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void P1_3_a_request_repeated_within_a_batch_is_kept_once_with_its_count_and_its_first_and_last_time()
    {
        ActivityEntry[] batch = [Request("usr_1", "/v1/users/usr_1/consents", Noon.AddMilliseconds(200)), Request("usr_1", "/v1/users/usr_1/consents", Noon), Request("usr_1", "/v1/users/usr_1/consents", Noon.AddMilliseconds(450))];

        var entry = Assert.Single(ActivityCoalescing.Coalesce(batch));

        Assert.Equal(3, entry.Requests);
        Assert.Equal(Noon, entry.At);
        Assert.Equal(Noon.AddMilliseconds(450), entry.Until);
    }

    [Fact]
    public void P1_3_requests_that_differ_in_user_path_search_address_or_browser_stay_apart()
    {
        var first = Request("usr_1", "/v1/orders", Noon);
        ActivityEntry[] batch =
        [
            first,
            first with { UserId = "usr_2" },
            first with { Path = "/v1/products" },
            first with { SearchTerms = "green tea" },
            first with { IpAddress = "10.0.0.9" },
            first with { UserAgent = "MeiLingPOS/3.2" },
            first with { Language = "en" },
        ];

        var kept = ActivityCoalescing.Coalesce(batch);

        Assert.Equal(batch.Length, kept.Count);
        Assert.All(kept, entry => Assert.Equal(1, entry.Requests));
        Assert.All(kept, entry => Assert.Null(entry.Until));
    }

    [Fact]
    public void P1_3_folding_entries_already_folded_adds_their_counts()
    {
        var earlier = Request("usr_1", "/v1/orders", Noon) with { Requests = 4, Until = Noon.AddSeconds(1) };
        var later = Request("usr_1", "/v1/orders", Noon.AddSeconds(2)) with { Requests = 2, Until = Noon.AddSeconds(3) };

        var entry = Assert.Single(ActivityCoalescing.Coalesce([later, earlier]));

        Assert.Equal(6, entry.Requests);
        Assert.Equal(Noon, entry.At);
        Assert.Equal(Noon.AddSeconds(3), entry.LastAt);
    }

    private static ActivityEntry Request(string userId, string path, DateTimeOffset at) =>
        new(userId, at, "127.0.0.1", "Mozilla/5.0 (Linux; Android 14)", "zh-CN", "Android", path, null);
}
