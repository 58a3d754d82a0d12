using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Users;

internal sealed class PhoneIndexGrain(
    [PersistentState("phone-index", StorageNames.Default)] IPersistentState<PhoneIndexState> state,
    TimeProvider clock) : Grain, IPhoneIndexGrain
{
    /// <summary>
    /// How long a claim stays its holder's even without an account: far beyond any registration's grain calls,
    /// so only a registration that died between its claim and its account loses the number.
    /// </summary>
    public static readonly TimeSpan ClaimGracePeriod = TimeSpan.FromMinutes(10);

    // Failed sign-ins are counted in memory: a lock that outlives a silo restart is not worth a write per failure.
    private readonly SignInFailures _failures = new(clock);

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

    Task<SignInAdmission> IPhoneIndexGrain.AdmitSignIn() => Task.FromResult(_failures.Admit(state.State.UserId));

    Task IPhoneIndexGrain.ForgiveSignIn(long attempt)
    {
        _failures.Forgive(attempt);
        return Task.CompletedTask;
    }

    // Kept for one release: the sign-ins of silos still on the previous one ask and count in two calls.
    Task<TimeSpan?> IPhoneIndexGrain.SignInLockedFor() => Task.FromResult(_failures.LockedFor());

    Task IPhoneIndexGrain.RecordFailedSignIn()
    {
        _failures.Count();
        return Task.CompletedTask;
    }

    Task IPhoneIndexGrain.ClearFailedSignIns()
    {
        _failures.Clear();
        return Task.CompletedTask;
    }
}

/// <summary>Persisted state of a phone index entry: the id of the user holding the number, and since when.</summary>
public sealed class PhoneIndexState
{
    public string? UserId { get; set; }

    // Entries written before claims had a time read as claimed long ago: their holder is checked at once.
    public DateTimeOffset ClaimedAt { get; set; }
}
