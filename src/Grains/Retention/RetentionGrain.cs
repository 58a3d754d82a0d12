using MeiLing.Grains.Activity;
using MeiLing.Grains.Legal;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeiLing.Grains.Retention;

internal sealed partial class RetentionGrain(
    LocationSampleStore locations,
    ActivityLogStore activity,
    OrderIndexStore orders,
    Webhooks.WebhookOutboxStore outbox,
    IOptions<PrivacySettings> settings,
    TimeProvider clock,
    ILogger<RetentionGrain> logger) : Grain, IRetentionGrain, IRemindable
{
    private const string ReminderName = "retention-sweep";
    private static readonly TimeSpan SweepEvery = TimeSpan.FromHours(1);

    // Orders asked at a time for the delivery addresses they owe; each is a grain of its own.
    private const int OwedAddressesBatch = 200;

    // The most orders one sweep asks for the addresses they owe (48,000 a day at one sweep an hour): each is an activation,
    // a notice and two writes, and the reminder's turn stays short; what is left waits for the next sweep.
    private const int OwedAddressesPerSweep = 2_000;

    // Withdrawals of location read at a time, and the most one sweep reads. Only those that left samples behind are read
    // (*reviewer*): every withdrawal of the period, the oldest first from each new activation's start, kept each sweep on
    // the same oldest 10,000 once the period held more, and a recent one whose erasure failed waited for them to age out.
    private const int WithdrawalsBatch = 500;
    private const int WithdrawalsPerSweep = 10_000;

    async Task IRetentionGrain.EnsureScheduled() =>
        await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), SweepEvery);

    Task<int> IRetentionGrain.Sweep() => SweepAsync();

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status) => await SweepAsync();

    private async Task<int> SweepAsync()
    {
        var now = clock.GetUtcNow();
        var failures = new List<Exception>();
        // P1.2, P1.3, P4.1 (*reviewer*): each step on its own. One that fails (a lock timeout, a row the outbox cannot
        // take) kept every step after it from running, so while it kept failing no location sample or activity entry
        // past its period was erased. The others now run, and the sweep still fails, loudly, for the one that did not.
        async Task<int> StepAsync(string step, Func<Task<int>> run)
        {
            try
            {
                return await run();
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                LogStepFailed(failure, step);
                failures.Add(failure);
                return 0;
            }
        }

        // P4.1: a delivery that can never be sent (its merchant removed its endpoint) ends failed first, so it is erased
        // in its time like any finished one, and its recipients show it failed rather than on its way.
        var unsendable = await StepAsync("unsendable deliveries", () => outbox.FailUnsendableAsync(now - settings.Value.WebhookEndpointWait, now));
        var expiredLocations = await StepAsync("location samples", () => locations.ExpireAsync(now - settings.Value.LocationRetention));
        var withdrawnLocations = await StepAsync("withdrawn location samples", () => EraseWithdrawnLocationsAsync(now));
        var expiredActivity = await StepAsync("activity", () => activity.ExpireAsync(now - settings.Value.ActivityRetention));
        var expiredDeliveries = await StepAsync("webhook deliveries", () =>
            outbox.ExpireAsync(now - settings.Value.WebhookRetention, now - settings.Value.UntoldNoticeRetention));
        var owedAddresses = await StepAsync("owed delivery addresses", () => EraseOwedDeliveryAddressesAsync(now));
        // P3.3: a legal demand's withholding that lapsed (no second operator renewed it) is told to its user.
        await StepAsync("lapsed legal withholdings", () => GrainFactory.GetGrain<ILegalDisclosuresGrain>(0).ReleaseLapsed());
        LogSwept(expiredLocations, withdrawnLocations, expiredActivity, expiredDeliveries, unsendable, owedAddresses);
        return failures.Count switch
        {
            0 => expiredLocations + withdrawnLocations + expiredActivity + expiredDeliveries + owedAddresses,
            1 => throw new InvalidOperationException("A step of the retention sweep failed; the others ran.", failures[0]),
            _ => throw new InvalidOperationException("Steps of the retention sweep failed; the others ran.", new AggregateException(failures)),
        };
    }

    // P1.2 (*reviewer*): a location withdrawal keeps its receipt first, then erases the samples; when that erasure failed
    // (5xx) the consent read withdrawn and the samples stayed, readable by support and in exports, until their 30 days ran
    // out: only the same withdrawal sent again erased them, which the privacy center never sends (its form posts the
    // opposite of where the consent stands). Each sweep erases what every withdrawal of the retention period left: its
    // user's samples taken at or before it, but for those collected under a later grant. Paged as the owed addresses are,
    // from where the last sweep stopped at its cap; a batch one user's samples refuse is asked a withdrawal at a time, so
    // that user holds back no other, and the step fails (the sweep with it) once the others ran.
    private async Task<int> EraseWithdrawnLocationsAsync(DateTimeOffset now)
    {
        var since = now - settings.Value.LocationRetention;
        var (erased, read) = (0, 0);
        Exception? failed = null;
        var after = _withdrawalsResumeAfter;
        _withdrawalsResumeAfter = null;
        while (read < WithdrawalsPerSweep)
        {
            var withdrawals = await locations.WithdrawalsAsync(since, after, Math.Min(WithdrawalsBatch, WithdrawalsPerSweep - read));
            try
            {
                erased += await locations.EraseWithdrawnAsync(withdrawals);
            }
            catch (Exception refused) when (refused is not OperationCanceledException)
            {
                foreach (var withdrawal in withdrawals)
                {
                    try
                    {
                        erased += await locations.EraseWithdrawnAsync([withdrawal]);
                    }
                    catch (Exception failure) when (failure is not OperationCanceledException)
                    {
                        LogWithdrawnLocationsFailed(failure.GetType().Name);
                        failed ??= failure;
                    }
                }
            }

            read += withdrawals.Count;
            if (withdrawals.Count < WithdrawalsBatch)
            {
                after = null;
                break;
            }

            after = withdrawals[^1];
        }

        _withdrawalsResumeAfter = after;
        return failed is null
            ? erased
            : throw new InvalidOperationException($"The samples some location withdrawals left could not be erased ({erased} were); they are asked again next sweep.", failed);
    }

    // Where the last sweep stopped at its cap; null when it read every withdrawal of the period. In memory, as
    // _owedAddressesResumeAfter: a new activation starts from the first.
    private LocationSampleStore.Withdrawal? _withdrawalsResumeAfter;

    // P3.1, P4.1: an order a deletion of addresses found still to be delivered keeps its address until it is past delivery.
    // A cancellation or refund erases it at once; an order whose window ended, or the delivery grace after its fulfilment,
    // has nothing else to say so, and is erased here. One that still keeps it (a payment's word awaited) moves its due time
    // past now; one whose erasure failed keeps its due time.
    // (*reviewer*): read from the head each batch and stopped at the first batch that erased less than it found, orders
    // whose erasure kept failing held back every order due after them, for good. The sweep pages on past the last row it
    // read, failures included, up to OwedAddressesPerSweep orders; a failed one is asked again once the sweeps come round.
    // Across sweeps too: a sweep that reached OwedAddressesPerSweep leaves the next one to go on after its last row, and one
    // that reached the end leaves the next to start from the head; so orders that keep failing (at most a sweep's worth
    // ahead of the rest) no longer hold back those due after them, sweep after sweep. Kept in memory: a new activation
    // starts from the head, as every sweep did.
    private async Task<int> EraseOwedDeliveryAddressesAsync(DateTimeOffset now)
    {
        var (erased, asked) = (0, 0);
        var after = _owedAddressesResumeAfter;
        _owedAddressesResumeAfter = null;
        while (asked < OwedAddressesPerSweep)
        {
            var due = await orders.OwingDeliveryAddressErasureAsync(now, after, Math.Min(OwedAddressesBatch, OwedAddressesPerSweep - asked));
            var ids = due.Select(row => row.OrderId).ToList();
            erased += (await GrainFanOut.CallEachAsync(ids, EraseOwedAddressOfAsync, width: 64)).Count(erasedNow => erasedNow);
            asked += due.Count;
            if (due.Count < OwedAddressesBatch)
            {
                return erased;
            }

            after = due[^1];
        }

        _owedAddressesResumeAfter = after;
        return erased;
    }

    // Where the last sweep stopped at its cap; null when it read every order due.
    private (string OrderId, DateTimeOffset DueAt)? _owedAddressesResumeAfter;

    // One order's failure (its activation could not read its state, its listing row could not be written) is its own: the
    // sweep goes on to the orders after it, and asks it again next time.
    private async Task<bool> EraseOwedAddressOfAsync(string orderId)
    {
        try
        {
            return await GrainFactory.GetGrain<IOrderGrain>(orderId).EraseOwedDeliveryAddress();
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            LogOwedAddressFailed(orderId, failure.GetType().Name);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A step of the retention sweep failed ({Step}); the others ran")]
    private partial void LogStepFailed(Exception failure, string step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The retention sweep could not erase the owed delivery address of order {OrderId} ({Reason}); it is asked again at the next sweep")]
    private partial void LogOwedAddressFailed(string orderId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The retention sweep could not erase the location samples a withdrawal left ({Reason}); they are asked again at the next sweep")]
    private partial void LogWithdrawnLocationsFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention sweep erased {Locations} location samples past their period and {Withdrawn} left by withdrawals, {Activity} activity entries, {Deliveries} finished webhook deliveries and the owed delivery addresses of {Orders} orders past delivery; {Unsendable} deliveries to merchants without an endpoint failed")]
    private partial void LogSwept(int locations, int withdrawn, int activity, int deliveries, int unsendable, int orders);
}
