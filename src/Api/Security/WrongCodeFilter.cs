using MeiLing.Grains;
using MeiLing.Grains.Identity;

namespace MeiLing.Api.Security;

/// <summary>
/// P4.4: a route where a code is presented without a session (registering, resetting a password, a guardian's withdrawal)
/// answers 429 <c>too-many-wrong-codes</c> to a network past its day of wrong codes, before the code is examined, and
/// counts each wrong one (<see cref="NetworkAllowances.ReserveWrongCode"/>), concurrent ones included. Each number's codes
/// take five guesses, so only a day across all numbers stops a guesser moving from one number to the next.
/// </summary>
public sealed class WrongCodeFilter(NetworkAllowances allowances) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        await GuardAsync(allowances, context.HttpContext, async () => await next(context));

    /// <summary>Runs <paramref name="presentCode"/> within the network's day of wrong codes (the registration page's form too).</summary>
    public static Task<T> GuardAsync<T>(NetworkAllowances allowances, HttpContext http, Func<Task<T>> presentCode) =>
        WithinAsync(allowances.ReserveWrongCode(http), presentCode);

    /// <summary>
    /// Presents the code under <paramref name="reservation"/>, once its days across the cluster have admitted it too: a
    /// wrong one is spent from its days, anything else costs them nothing.
    /// </summary>
    public static async Task<T> WithinAsync<T>(WrongCodeDay.Reservation reservation, Func<Task<T>> presentCode)
    {
        using (reservation)
        {
            await reservation.AdmitAcrossClusterAsync();
            T answer;
            try
            {
                answer = await presentCode();
            }
            catch (DomainException wrong) when (wrong.Code == VerificationCodes.FailedCode)
            {
                await reservation.SpendAsync();
                throw;
            }
            catch
            {
                await reservation.LetGoAcrossClusterAsync();
                throw;
            }

            await reservation.LetGoAcrossClusterAsync();
            return answer;
        }
    }
}

/// <summary>
/// P4.4 (*reviewer*): a route where a code is presented under a session or a staff key (a child's guardian confirmation,
/// support's confirmation of a request it filed) counts the caller's wrong codes a day across codes and requests: the
/// five guesses of each code start again with every fresh code, which the caller can have sent.
/// </summary>
public sealed class CallerWrongCodeFilter(NetworkAllowances allowances) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.User.SubjectId() is { } caller
            ? await WrongCodeFilter.WithinAsync(allowances.ReserveCallersWrongCode(caller), async () => await next(context))
            : await next(context);
}
