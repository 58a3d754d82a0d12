using MeiLing.Grains.Activity;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeiLing.Grains.Retention;

internal sealed partial class RetentionGrain(
    LocationSampleStore locations,
    ActivityLogStore activity,
    Webhooks.WebhookOutboxStore outbox,
    IOptions<PrivacySettings> settings,
    TimeProvider clock,
    ILogger<RetentionGrain> logger) : Grain, IRetentionGrain, IRemindable
{
    private const string ReminderName = "retention-sweep";
    private static readonly TimeSpan SweepEvery = TimeSpan.FromHours(1);

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
        var expiredActivity = await StepAsync("activity", () => activity.ExpireAsync(now - settings.Value.ActivityRetention));
        var expiredDeliveries = await StepAsync("webhook deliveries", () =>
            outbox.ExpireAsync(now - settings.Value.WebhookRetention, now - settings.Value.UntoldNoticeRetention));
        LogSwept(expiredLocations, expiredActivity, expiredDeliveries, unsendable);
        return failures.Count switch
        {
            0 => expiredLocations + expiredActivity + expiredDeliveries,
            1 => throw new InvalidOperationException("A step of the retention sweep failed; the others ran.", failures[0]),
            _ => throw new InvalidOperationException("Steps of the retention sweep failed; the others ran.", new AggregateException(failures)),
        };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A step of the retention sweep failed ({Step}); the others ran")]
    private partial void LogStepFailed(Exception failure, string step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention sweep erased {Locations} location samples, {Activity} activity entries and {Deliveries} finished webhook deliveries; {Unsendable} deliveries to merchants without an endpoint failed")]
    private partial void LogSwept(int locations, int activity, int deliveries, int unsendable);
}
