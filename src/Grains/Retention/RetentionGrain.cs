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
        // P4.1: a delivery that can never be sent (its merchant removed its endpoint) ends failed first, so it is erased
        // in its time like any finished one, and its recipients show it failed rather than on its way.
        var unsendable = await outbox.FailUnsendableAsync(now - settings.Value.WebhookEndpointWait, now);
        var expiredLocations = await locations.ExpireAsync(now - settings.Value.LocationRetention);
        var expiredActivity = await activity.ExpireAsync(now - settings.Value.ActivityRetention);
        var expiredDeliveries = await outbox.ExpireAsync(now - settings.Value.WebhookRetention, now - settings.Value.UntoldNoticeRetention);
        LogSwept(expiredLocations, expiredActivity, expiredDeliveries, unsendable);
        return expiredLocations + expiredActivity + expiredDeliveries;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention sweep erased {Locations} location samples, {Activity} activity entries and {Deliveries} finished webhook deliveries; {Unsendable} deliveries to merchants without an endpoint failed")]
    private partial void LogSwept(int locations, int activity, int deliveries, int unsendable);
}
