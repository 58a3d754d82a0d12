using MeiLing.Grains;
using MeiLing.Grains.Identity;

namespace MeiLing.Api.Security;

/// <summary>
/// P4.4: a route where a code is presented without a session (registering, resetting a password, a guardian's withdrawal)
/// answers 429 <c>too-many-wrong-codes</c> to a network past its day of wrong codes, before the code is examined, and
/// counts each wrong one (<see cref="NetworkAllowances.ReserveWrongCode"/>), concurrent ones included. Each number's codes take five guesses,
/// so only a day across all numbers stops a guesser moving from one number to the next.
/// </summary>
public sealed class WrongCodeFilter(NetworkAllowances allowances) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        await GuardAsync(allowances, context.HttpContext, async () => await next(context));

    /// <summary>Runs <paramref name="presentCode"/> within the network's day of wrong codes (the registration page's form too).</summary>
    public static async Task<T> GuardAsync<T>(NetworkAllowances allowances, HttpContext http, Func<Task<T>> presentCode)
    {
        using var reservation = allowances.ReserveWrongCode(http);
        try
        {
            return await presentCode();
        }
        catch (DomainException wrong) when (wrong.Code == VerificationCodes.FailedCode)
        {
            reservation.Spend();
            throw;
        }
    }
}
