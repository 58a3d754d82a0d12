using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MeiLing.Tests.Infrastructure;

/// <summary>
/// The test silos' reminder table, through which a test can hold the reads of one grain's reminders until it lets them
/// go: to show that an answer never waits on such a read. Every other call goes straight to the table.
/// </summary>
public sealed class HeldReminderReads(IReminderTable table) : IReminderTable
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Holds = new(StringComparer.Ordinal);

    /// <summary>Wraps the reminder table the silo registered.</summary>
    public static void InstallIn(IServiceCollection services)
    {
        var registered = services.Last(descriptor => descriptor.ServiceType == typeof(IReminderTable));
        services.RemoveAll<IReminderTable>();
        services.AddSingleton<IReminderTable>(provider => new HeldReminderReads(registered.ImplementationFactory is { } factory
            ? (IReminderTable)factory(provider)
            : (IReminderTable)ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!)));
    }

    /// <summary>Holds every read of the reminders of grains whose key holds <paramref name="key"/> until disposed.</summary>
    public static IDisposable Hold(string key)
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Holds[key] = released;
        return new Release(key, released);
    }

    /// <summary>How many reads of <paramref name="key"/>'s reminders are waiting on a hold now.</summary>
    public static int Waiting(string key) => WaitingReads.GetValueOrDefault(key);

    private static readonly ConcurrentDictionary<string, int> WaitingReads = new(StringComparer.Ordinal);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => ReadRow(grainId, reminderName, CancellationToken.None);

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        await WhileHeldAsync(grainId, cancellationToken);
        return await table.ReadRow(grainId, reminderName, cancellationToken);
    }

    public Task<ReminderTableData> ReadRows(GrainId grainId) => ReadRows(grainId, CancellationToken.None);

    public async Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken)
    {
        await WhileHeldAsync(grainId, cancellationToken);
        return await table.ReadRows(grainId, cancellationToken);
    }

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => table.ReadRows(begin, end);

    public Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken) => table.ReadRows(begin, end, cancellationToken);

    public Task<string?> UpsertRow(ReminderEntry entry) => table.UpsertRow(entry);

    public Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken) => table.UpsertRow(entry, cancellationToken);

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => table.RemoveRow(grainId, reminderName, eTag);

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken) =>
        table.RemoveRow(grainId, reminderName, eTag, cancellationToken);

    public Task TestOnlyClearTable() => table.TestOnlyClearTable();

    public Task TestOnlyClearTable(CancellationToken cancellationToken) => table.TestOnlyClearTable(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken = default) => table.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => table.StopAsync(cancellationToken);

    private static async Task WhileHeldAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        var id = grainId.ToString();
        foreach (var (key, released) in Holds)
        {
            if (id.Contains(key, StringComparison.Ordinal) && !released.Task.IsCompleted)
            {
                WaitingReads.AddOrUpdate(key, 1, (_, count) => count + 1);
                try
                {
                    await released.Task.WaitAsync(cancellationToken);
                }
                finally
                {
                    WaitingReads.AddOrUpdate(key, 0, (_, count) => count - 1);
                }
            }
        }
    }

    private sealed class Release(string key, TaskCompletionSource released) : IDisposable
    {
        public void Dispose()
        {
            released.TrySetResult();
            Holds.TryRemove(new KeyValuePair<string, TaskCompletionSource>(key, released));
        }
    }
}
