namespace MeiLing.Grains.Platform;

/// <summary>
/// Sends an activation whose key names no stored record (an id a caller made up, or a record since erased) out of
/// memory a few seconds after it was found absent, instead of after its grain type's idle age (15 minutes for a
/// user). Any authenticated caller can name ids: a merchant key placing orders for made-up user ids, or anyone reading
/// made-up order ids, would otherwise keep one activation per id for the whole idle age, thousands a second.
/// </summary>
/// <remarks>
/// Not at once (<c>DeactivateOnIdle</c> after the answer): a burst of calls for one such id would then bounce between
/// activations that each answer one call and leave, until Orleans refuses the rest as forwarded too often. A few
/// seconds' wait lets one activation answer the burst; a record created meanwhile (a registration, an order placed)
/// keeps the activation.
/// </remarks>
internal sealed class AbsentRecordLinger
{
    /// <summary>How long an activation found without its record stays, at most, after it was found so.</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromSeconds(3);

    private IGrainTimer? _timer;

    /// <summary>Starts the wait, unless the record exists or the wait is already running; call where the record was found absent.</summary>
    public void Start(IGrainBase grain, Func<bool> recordExists)
    {
        if (_timer is not null || recordExists())
        {
            return;
        }

        _timer = grain.RegisterGrainTimer(() =>
        {
            _timer?.Dispose();
            _timer = null;
            if (!recordExists())
            {
                grain.DeactivateOnIdle();
            }

            return Task.CompletedTask;
        }, new GrainTimerCreationOptions(Linger, Timeout.InfiniteTimeSpan) { KeepAlive = false });
    }
}
