using System.Diagnostics;
using MeiLing.Grains;

namespace MeiLing.Api.Security;

/// <summary>
/// P4.4 (*reviewer*): a failed sign-in answers no sooner than <see cref="ApiSettings.SignInFailureFloorMs"/> after it began.
/// An unknown number spends a decoy password check in the accounts grain; a registered one wakes its user's grain first
/// (its state, its data key, its consents: a few database trips, perhaps another silo) when it has been idle. Asking twice
/// in a row and comparing told a caller which numbers are registered; under the floor both answer alike.
/// </summary>
public static class SignInFailureFloor
{
    /// <summary>Runs <paramref name="signIn"/>; a refusal of the credentials waits out the rest of the floor before it is answered.</summary>
    public static async Task<T> HoldAsync<T>(ApiSettings settings, Func<Task<T>> signIn)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await signIn();
        }
        catch (DomainException refused) when (refused.Code == InvalidCredentials)
        {
            var left = TimeSpan.FromMilliseconds(settings.SignInFailureFloorMs) - Stopwatch.GetElapsedTime(started);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left);
            }

            throw;
        }
    }

    private const string InvalidCredentials = "invalid-credentials";
}
