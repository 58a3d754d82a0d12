namespace MeiLing.Grains.Users;

/// <summary>
/// P4.4: one number's failed sign-ins in the last window. An attempt is counted as failed when it is admitted,
/// before its password is checked, and forgiven when it succeeds: admission and count are one step, so a burst
/// of concurrent guesses meets the same limit as guesses sent one after another.
/// </summary>
internal sealed class SignInFailures(TimeProvider clock)
{
    public const int Limit = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    // Oldest first. Admission stops at the limit, so only a failure counted after the fact can pass it.
    private readonly List<CountedAttempt> _counted = [];
    private long _lastAttempt;

    public SignInAdmission Admit(string? holder)
    {
        if (LockedFor() is { } lockedFor)
        {
            return SignInAdmission.Locked(lockedFor);
        }

        _counted.Add(new CountedAttempt(++_lastAttempt, clock.GetUtcNow()));
        return SignInAdmission.Admitted(_lastAttempt, holder);
    }

    public void Forgive(long attempt) => _counted.RemoveAll(counted => counted.Attempt == attempt);

    /// <summary>A failure reported after the fact, by a caller that did not ask for admission first.</summary>
    public void Count()
    {
        ForgetOld();
        _counted.Add(new CountedAttempt(++_lastAttempt, clock.GetUtcNow()));
    }

    public TimeSpan? LockedFor()
    {
        ForgetOld();
        if (_counted.Count < Limit)
        {
            return null;
        }

        // The lock lifts when enough failures have aged out of the window to leave fewer than the limit.
        var lifting = _counted[_counted.Count - Limit].At;
        return lifting + Window - clock.GetUtcNow();
    }

    public void Clear() => _counted.Clear();

    private void ForgetOld()
    {
        var cutoff = clock.GetUtcNow() - Window;
        _counted.RemoveAll(counted => counted.At < cutoff);
    }

    private readonly record struct CountedAttempt(long Attempt, DateTimeOffset At);
}
