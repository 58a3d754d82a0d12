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

    [Fact]
    public void P1_3_P4_4_a_user_varying_every_request_keeps_100_entries_apart_and_one_overflow_entry_counting_the_rest()
    {
        ActivityEntry[] batch =
        [
            .. Enumerable.Range(0, 250).Select(i => Request("usr_1", $"/v1/products/{i}", Noon.AddMilliseconds(i))),
            .. Enumerable.Range(0, 3).Select(i => Request("usr_2", $"/v1/orders/{i}", Noon)),
        ];

        var kept = ActivityCoalescing.Coalesce(batch);

        var ofUser = kept.Where(entry => entry.UserId == "usr_1").ToList();
        var overflow = Assert.Single(ofUser, entry => entry.Overflow is not null);
        Assert.Equal(ActivityCoalescing.DistinctPerUser, ofUser.Count(entry => entry.Overflow is null));
        Assert.Equal(250, ofUser.Sum(entry => entry.Requests));
        Assert.Equal(150, overflow.Requests);
        Assert.Equal(150, overflow.Overflow!.DistinctRequests);
        Assert.Equal(Noon.AddMilliseconds(100), overflow.At);
        Assert.Equal(Noon.AddMilliseconds(249), overflow.Until);
        Assert.Equal("", overflow.Path);
        Assert.Null(overflow.SearchTerms);
        Assert.Equal("127.0.0.1", overflow.IpAddress);
        Assert.Equal(3, kept.Count(entry => entry.UserId == "usr_2" && entry.Overflow is null));
    }

    [Fact]
    public void P1_3_a_request_kept_apart_still_counts_its_repeats_after_the_cap_is_reached()
    {
        ActivityEntry[] batch =
        [
            Request("usr_1", "/v1/orders", Noon),
            .. Enumerable.Range(0, 150).Select(i => Request("usr_1", $"/v1/products/{i}", Noon.AddMilliseconds(1 + i))),
            Request("usr_1", "/v1/orders", Noon.AddMilliseconds(400)),
            Request("usr_1", "/v1/products/149", Noon.AddMilliseconds(450)),
        ];

        var kept = ActivityCoalescing.Coalesce(batch);

        Assert.Equal(2, Assert.Single(kept, entry => entry.Path == "/v1/orders").Requests);
        var overflow = Assert.Single(kept, entry => entry.Overflow is not null);
        Assert.Equal(52, overflow.Requests);
        Assert.Equal(51, overflow.Overflow!.DistinctRequests);
        Assert.Equal(batch.Length, kept.Sum(entry => entry.Requests));
    }

    [Fact]
    public void P1_3_an_overflow_entry_keeps_the_address_and_browser_only_when_every_request_it_counts_shares_them()
    {
        ActivityEntry[] batch =
        [
            .. Enumerable.Range(0, ActivityCoalescing.DistinctPerUser + 2).Select(i => Request("usr_1", $"/v1/products/{i}", Noon)),
            Request("usr_1", "/v1/other", Noon) with { IpAddress = "10.0.0.9" },
        ];

        var overflow = Assert.Single(ActivityCoalescing.Coalesce(batch), entry => entry.Overflow is not null);

        Assert.Equal(3, overflow.Requests);
        Assert.Null(overflow.IpAddress);
        Assert.Equal("Android", overflow.OperatingSystem);
    }

    private static ActivityEntry Request(string userId, string path, DateTimeOffset at) =>
        new(userId, at, "127.0.0.1", "Mozilla/5.0 (Linux; Android 14)", "zh-CN", "Android", path, null);
}
