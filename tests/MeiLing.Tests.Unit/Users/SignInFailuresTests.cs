using MeiLing.Grains.Users;

namespace MeiLing.Tests.Unit.Users;

/// <summary>P4.4: a number's failed sign-ins, counted as each attempt is admitted and forgiven only when it succeeds.</summary>
public sealed class SignInFailuresTests
{
    private readonly UtcClock _clock = new(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void P4_4_attempts_admitted_together_are_counted_before_any_password_is_checked()
    {
        var failures = new SignInFailures(_clock);

        // A burst: every attempt asks for admission before any of them has been answered.
        var admissions = Enumerable.Range(0, 30).Select(_ => failures.Admit("usr_1")).ToList();

        Assert.Equal(SignInFailures.Limit, admissions.Count(admission => admission.LockedFor is null));
        Assert.All(admissions.Skip(SignInFailures.Limit), refused => Assert.Equal(SignInFailures.Window, refused.LockedFor));
        Assert.All(admissions.Skip(SignInFailures.Limit), refused => Assert.Null(refused.Holder));
    }

    [Fact]
    public void P4_4_a_right_password_is_forgiven_and_does_not_bring_the_lock_closer()
    {
        var failures = new SignInFailures(_clock);

        for (var i = 0; i < 3 * SignInFailures.Limit; i++)
        {
            var admitted = failures.Admit("usr_1");
            Assert.Null(admitted.LockedFor);
            Assert.Equal("usr_1", admitted.Holder);
            failures.Forgive(admitted.Attempt);
        }

        Assert.Null(failures.LockedFor());
    }

    [Fact]
    public void P4_4_the_lock_lifts_when_the_oldest_counted_failure_leaves_the_window()
    {
        var failures = new SignInFailures(_clock);
        failures.Admit("usr_1");
        _clock.Advance(TimeSpan.FromMinutes(5));
        for (var i = 1; i < SignInFailures.Limit; i++)
        {
            failures.Admit("usr_1");
        }

        Assert.Equal(TimeSpan.FromMinutes(10), failures.LockedFor());
        _clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        Assert.Null(failures.Admit("usr_1").LockedFor);
        Assert.Equal(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1), failures.LockedFor());
    }

    [Fact]
    public void P4_4_a_failure_counted_after_the_fact_still_locks_and_a_reset_clears_every_count()
    {
        var failures = new SignInFailures(_clock);
        for (var i = 0; i < SignInFailures.Limit; i++)
        {
            failures.Count();
        }

        Assert.NotNull(failures.Admit(null).LockedFor);
        failures.Clear();
        Assert.Null(failures.Admit(null).LockedFor);
    }

    private sealed class UtcClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
