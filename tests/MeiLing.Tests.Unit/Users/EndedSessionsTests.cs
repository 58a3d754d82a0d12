using MeiLing.Grains.Users;

namespace MeiLing.Tests.Unit.Users;

/// <summary>P4.4: sessions ended one at a time, in the user's state: remembered until their tokens expire, and bounded.</summary>
public sealed class EndedSessionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset TokensExpire = Now.AddHours(12);

    [Fact]
    public void P4_4_an_ended_session_is_no_longer_current_and_the_users_other_sessions_are()
    {
        var user = new UserState { SessionGeneration = 3 };

        Assert.True(user.EndSession(3, "first", TokensExpire, Now));

        Assert.False(user.IsSessionCurrent(3, "first"));
        Assert.True(user.IsSessionCurrent(3, "second"));
        Assert.Equal(3, user.SessionGeneration);
    }

    [Fact]
    public void P4_4_a_session_of_an_earlier_generation_has_ended_already_and_is_not_remembered()
    {
        var user = new UserState { SessionGeneration = 3 };

        Assert.False(user.EndSession(2, "old", TokensExpire, Now));

        Assert.Empty(user.EndedSessions.Until);
        Assert.False(user.IsSessionCurrent(2, "old"));
    }

    [Fact]
    public void P4_4_a_token_without_a_session_id_ends_only_with_its_generation()
    {
        var user = new UserState { SessionGeneration = 3 };
        user.EndSession(3, "first", TokensExpire, Now);

        Assert.True(user.IsSessionCurrent(3, null));
        user.RevokeSessions();
        Assert.False(user.IsSessionCurrent(3, null));
    }

    [Fact]
    public void P4_4_when_the_ended_sessions_kept_are_at_their_bound_one_more_ends_every_session_and_empties_the_list()
    {
        var user = new UserState { SessionGeneration = 3 };
        for (var i = 0; i < EndedSessions.Capacity; i++)
        {
            Assert.True(user.EndSession(3, $"s{i}", TokensExpire, Now.AddMinutes(i)));
        }

        Assert.Equal(3, user.SessionGeneration);
        Assert.Equal(EndedSessions.Capacity, user.EndedSessions.Until.Count);

        Assert.True(user.EndSession(3, "one-too-many", TokensExpire, Now.AddHours(1)));

        Assert.Equal(4, user.SessionGeneration);
        Assert.Empty(user.EndedSessions.Until);
        // Every token of generation 3 has ended: the ones ended alone, the last one, and the ones never signed out of.
        Assert.False(user.IsSessionCurrent(3, "s0"));
        Assert.False(user.IsSessionCurrent(3, "one-too-many"));
        Assert.False(user.IsSessionCurrent(3, "never-signed-out"));
        Assert.True(user.IsSessionCurrent(4, "signed-in-since"));
    }

    [Fact]
    public void P4_4_sessions_whose_tokens_expired_free_their_places_and_ending_one_twice_takes_one_place()
    {
        var ended = new EndedSessions();
        for (var i = 0; i < EndedSessions.Capacity; i++)
        {
            Assert.True(ended.TryEnd($"s{i}", i == 0 ? Now.AddMinutes(5) : TokensExpire, Now));
        }

        Assert.True(ended.TryEnd("s1", TokensExpire, Now));
        Assert.False(ended.TryEnd("refused", TokensExpire, Now.AddMinutes(4)));
        Assert.False(ended.Contains("refused"));

        // s0's tokens have expired: its place is free, and it is forgotten.
        Assert.True(ended.TryEnd("later", TokensExpire, Now.AddMinutes(5)));

        Assert.False(ended.Contains("s0"));
        Assert.True(ended.Contains("later"));
        Assert.Equal(EndedSessions.Capacity, ended.Until.Count);
    }

    [Fact]
    public void The_ended_sessions_survive_the_state_being_stored_and_read_back()
    {
        var user = new UserState { SessionGeneration = 3 };
        user.EndSession(3, "first", TokensExpire, Now);

        var stored = System.Text.Json.JsonSerializer.Deserialize<UserState>(System.Text.Json.JsonSerializer.Serialize(user))!;

        Assert.False(stored.IsSessionCurrent(3, "first"));
        Assert.True(stored.IsSessionCurrent(3, "second"));
        Assert.Equal(TokensExpire, stored.EndedSessions.Until["first"]);
    }
}
