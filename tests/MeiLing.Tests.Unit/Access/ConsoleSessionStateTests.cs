using MeiLing.Grains.Access;

namespace MeiLing.Tests.Unit.Access;

/// <summary>P4.1: how long a signed-out console session's row is kept.</summary>
public sealed class ConsoleSessionStateTests
{
    private static readonly DateTimeOffset SignedOut = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void P4_1_an_ended_sessions_row_is_kept_until_every_cookie_of_it_has_expired_and_not_after()
    {
        var state = new ConsoleSessionState();
        state.End(SignedOut);

        Assert.True(state.IsKeptAt(SignedOut + IConsoleSessionGrain.Lifetime, IConsoleSessionGrain.KeptAfterSignOut));
        Assert.False(state.IsKeptAt(SignedOut + IConsoleSessionGrain.KeptAfterSignOut, IConsoleSessionGrain.KeptAfterSignOut));
    }

    [Fact]
    public void P4_1_a_session_never_signed_out_has_no_row_to_keep()
    {
        Assert.False(new ConsoleSessionState().IsKeptAt(SignedOut, IConsoleSessionGrain.KeptAfterSignOut));
    }

    [Fact]
    public void A_second_sign_out_keeps_the_first_ones_time()
    {
        var state = new ConsoleSessionState();
        state.End(SignedOut);
        state.End(SignedOut.AddHours(5));

        Assert.Equal(SignedOut, state.EndedAt);
    }
}
