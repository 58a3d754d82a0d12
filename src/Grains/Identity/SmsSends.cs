namespace MeiLing.Grains.Identity;

/// <summary>
/// A text handed to the SMS provider within its time (<see cref="IdentitySettings.SmsSendTimeout"/>); unanswered by then,
/// 503 <c>sms-unavailable</c>. Every send from a grain goes through it.
/// </summary>
internal static class SmsSends
{
    // P1.6 (never block a grain turn on slow I/O, *reviewer*): the user's grain and the number's codes grain wait for a text
    // inside their turn; a provider that accepted the connection and never answered held every call to the user (a profile
    // read, a sign-in, an order) or to the number's codes for good, as a payment partner held its order (PaymentPartners).
    // A sender that ignores the token is let go of all the same; the text may still go out late, which a notice or a code
    // tolerates (a code sent twice is two live codes).
    public static async Task SendWithinAsync(this ISmsSender sender, SmsMessage message, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await sender.SendAsync(message, cancellation.Token).WaitAsync(cancellation.Token);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw DomainException.Unavailable("sms-unavailable", "The text could not be sent in time; try again shortly.");
        }
    }
}
