using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Users;

internal sealed class PhoneIndexGrain(
    [PersistentState("phone-index", StorageNames.Default)] IPersistentState<PhoneIndexState> state,
    TimeProvider clock) : Grain, IPhoneIndexGrain
{
    public const int FailuresBeforeLock = 10;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a claim stays its holder's even without an account: far beyond any registration's grain calls,
    /// so only a registration that died between its claim and its account loses the number.
    /// </summary>
    public static readonly TimeSpan ClaimGracePeriod = TimeSpan.FromMinutes(10);

    // Failed sign-ins are counted in memory: a lock that outlives a silo restart is not worth a write per failure.
    private readonly Queue<DateTimeOffset> _recentFailures = new();

    async Task<bool> IPhoneIndexGrain.Claim(string userId)
    {
        if (state.State.UserId == userId)
        {
            return true;
        }

        if (state.State.UserId is { } holder)
        {
            // P1.1: a holder without an account may still be creating it; only one whose registration was
            // abandoned long ago gives the number up.
            if (clock.GetUtcNow() - state.State.ClaimedAt < ClaimGracePeriod
                || await GrainFactory.GetGrain<IUserProfile>(holder).GetProfile() is not null)
            {
                return false;
            }
        }

        state.State.UserId = userId;
        state.State.ClaimedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        return true;
    }

    Task<string?> IPhoneIndexGrain.GetHolder() => Task.FromResult(state.State.UserId);

    async Task IPhoneIndexGrain.Release(string userId)
    {
        if (state.State.UserId == userId)
        {
            await state.ClearStateAsync();
        }
    }

    Task<TimeSpan?> IPhoneIndexGrain.SignInLockedFor()
    {
        ForgetOldFailures();
        if (_recentFailures.Count < FailuresBeforeLock)
        {
            return Task.FromResult<TimeSpan?>(null);
        }

        // The lock lifts when enough failures have aged out of the window to leave fewer than the limit.
        var lifting = _recentFailures.ElementAt(_recentFailures.Count - FailuresBeforeLock);
        return Task.FromResult<TimeSpan?>(lifting + FailureWindow - clock.GetUtcNow());
    }

    Task IPhoneIndexGrain.RecordFailedSignIn()
    {
        ForgetOldFailures();
        _recentFailures.Enqueue(clock.GetUtcNow());
        return Task.CompletedTask;
    }

    Task IPhoneIndexGrain.ClearFailedSignIns()
    {
        _recentFailures.Clear();
        return Task.CompletedTask;
    }

    private void ForgetOldFailures()
    {
        var cutoff = clock.GetUtcNow() - FailureWindow;
        while (_recentFailures.TryPeek(out var oldest) && oldest < cutoff)
        {
            _recentFailures.Dequeue();
        }
    }
}

/// <summary>Persisted state of a phone index entry: the id of the user holding the number, and since when.</summary>
public sealed class PhoneIndexState
{
    public string? UserId { get; set; }

    // Entries written before claims had a time read as claimed long ago: their holder is checked at once.
    public DateTimeOffset ClaimedAt { get; set; }
}
