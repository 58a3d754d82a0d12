using MeiLing.Grains.Platform;

namespace MeiLing.Tests.Unit.Platform;

public sealed class FactCacheTests
{
    private readonly ManualClock _clock = new();

    private FactCache<string> Cache(int capacity = 100) => new(_clock, TimeSpan.FromMinutes(1), capacity);

    [Fact]
    public async Task A_fact_is_loaded_once_and_then_served_from_the_silo()
    {
        var cache = Cache();
        var loads = 0;

        var first = await cache.GetOrLoadAsync("key", () => Task.FromResult<string?>($"grant {++loads}"));
        var second = await cache.GetOrLoadAsync("key", () => Task.FromResult<string?>($"grant {++loads}"));

        Assert.Equal("grant 1", first);
        Assert.Equal("grant 1", second);
        Assert.Equal(1, loads);
    }

    [Fact]
    public async Task A_forgotten_fact_is_loaded_again()
    {
        var cache = Cache();
        await cache.GetOrLoadAsync("key", () => Task.FromResult<string?>("before"));

        cache.Forget("key");
        var after = await cache.GetOrLoadAsync("key", () => Task.FromResult<string?>("after"));

        Assert.Equal("after", after);
    }

    [Fact]
    public async Task A_load_under_way_when_the_fact_is_forgotten_is_not_kept()
    {
        // The grain answered before the revoke; the answer arrives after the silo was told to forget: it must not stay.
        var cache = Cache();
        var answer = new TaskCompletionSource<string?>();
        var loading = cache.GetOrLoadAsync("key", () => answer.Task);

        cache.Forget("key");
        answer.SetResult("revoked grant");
        var servedToTheRaceLoser = await loading;
        var next = await cache.GetOrLoadAsync("key", () => Task.FromResult<string?>(null));

        Assert.Equal("revoked grant", servedToTheRaceLoser);
        Assert.Null(next);
    }

    [Fact]
    public async Task Forgetting_all_drops_every_fact()
    {
        var cache = Cache();
        await cache.GetOrLoadAsync("v1", () => Task.FromResult<string?>("satisfied"));
        await cache.GetOrLoadAsync("v2", () => Task.FromResult<string?>("satisfied"));

        cache.ForgetAll();

        Assert.Equal("must accept", await cache.GetOrLoadAsync("v1", () => Task.FromResult<string?>("must accept")));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task An_unknown_fact_is_never_kept()
    {
        var cache = Cache();

        await cache.GetOrLoadAsync("guessed", () => Task.FromResult<string?>(null));

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task A_copy_is_served_no_longer_than_its_lifetime()
    {
        // What bounds a silo that missed a forget.
        var cache = Cache();
        await cache.GetOrLoadAsync("key", () => Task.FromResult<string?>("old"));

        _clock.Advance(TimeSpan.FromSeconds(59));
        var within = await cache.GetOrLoadAsync("key", () => Task.FromResult<string?>("new"));
        _clock.Advance(TimeSpan.FromSeconds(2));
        var after = await cache.GetOrLoadAsync("key", () => Task.FromResult<string?>("new"));

        Assert.Equal("old", within);
        Assert.Equal("new", after);
    }

    [Fact]
    public async Task The_number_of_copies_stays_bounded_whatever_the_keys()
    {
        var cache = Cache(capacity: 10);

        for (var i = 0; i < 1_000; i++)
        {
            await cache.GetOrLoadAsync($"key-{i}", () => Task.FromResult<string?>("fact"));
        }

        Assert.InRange(cache.Count, 1, 10);
    }

    [Fact]
    public async Task Expired_copies_leave_memory_with_the_next_load_a_lifetime_later()
    {
        var cache = Cache();
        await cache.GetOrLoadAsync("left", () => Task.FromResult<string?>("a customer who left"));
        await cache.GetOrLoadAsync("replaced", () => Task.FromResult<string?>("a key that was replaced"));

        _clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await cache.GetOrLoadAsync("new", () => Task.FromResult<string?>("a newcomer"));

        Assert.Equal(1, cache.Count);
    }
}
