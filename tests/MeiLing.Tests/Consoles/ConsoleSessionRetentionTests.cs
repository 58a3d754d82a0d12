using System.Security.Cryptography;
using MeiLing.Grains.Access;
using Orleans.Storage;

namespace MeiLing.Tests.Consoles;

/// <summary>P4.1: a signed-out console session's row, kept while it refuses a cookie and no longer.</summary>
[Collection(TimeTravelCollection.Name)]
public sealed class ConsoleSessionRetentionTests(TimeTravelFixture platform)
{
    // Every sign-out of every agent kept a row for good, which nothing read once the session's cookies had expired.
    [Fact]
    public async Task P4_1_a_signed_out_console_sessions_row_is_deleted_once_no_cookie_of_it_can_be_presented()
    {
        var sessionId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var session = platform.Grains.GetGrain<IConsoleSessionGrain>(sessionId);
        await session.End();

        await session.ForgetWhenExpired();
        var storedWhileCookiesLive = await StoredAsync(session);
        var remindersWhileCookiesLive = await RemindersAsync(sessionId);
        var refusedWhileCookiesLive = await session.IsEnded();
        platform.Clock.Advance(IConsoleSessionGrain.KeptAfterSignOut);
        await session.ForgetWhenExpired();

        Assert.True(storedWhileCookiesLive);
        Assert.Equal(1, remindersWhileCookiesLive);
        Assert.True(refusedWhileCookiesLive);
        Assert.False(await StoredAsync(session));
        Assert.Equal(0, await RemindersAsync(sessionId));
    }

    private async Task<bool> StoredAsync(IConsoleSessionGrain session)
    {
        var stored = new GrainState<ConsoleSessionState>(new ConsoleSessionState());
        await platform.Storage().ReadStateAsync("console-session", session.GetGrainId(), stored);
        return stored.RecordExists;
    }

    private Task<long> RemindersAsync(string sessionId) =>
        platform.Database.ScalarAsync<long>("SELECT count(*) FROM orleans_reminders WHERE position($1 in grain_id) > 0", sessionId);
}
