using System.Collections.Concurrent;
using MeiLing.Grains.Identity;

namespace MeiLing.Tests.Infrastructure;

/// <summary>
/// Texts to a number a test holds wait, unsent, until it lets them go: a test can then tell an answer that waited for
/// its text from one that did not, without timing either. The test silos run in the test's process, so the hold is
/// shared with them; each test holds a number of its own.
/// </summary>
internal static class HeldTexts
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Holds = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, bool> Refusals = new(StringComparer.Ordinal);

    /// <summary>Holds every text to <paramref name="phone"/> until the returned hold is disposed.</summary>
    public static IDisposable Hold(string phone)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Holds[phone] = gate;
        return new Release(phone, gate);
    }

    /// <summary>Refuses every text to <paramref name="phone"/> (the provider failing) until the returned refusal is disposed.</summary>
    public static IDisposable Refuse(string phone)
    {
        Refusals[phone] = true;
        return new Refusal(phone);
    }

    /// <summary>The sandbox sender, but for a held number: its texts wait for the hold's release; a refused one's fail.</summary>
    public sealed class Sender(SandboxSmsSender sandbox) : ISmsSender
    {
        public string Name => sandbox.Name;

        public async Task SendAsync(SmsMessage message, CancellationToken cancellationToken = default)
        {
            if (Refusals.ContainsKey(message.Phone))
            {
                throw new HttpRequestException("The SMS provider refused the text (a test's refusal).");
            }

            if (Holds.TryGetValue(message.Phone, out var gate))
            {
                await gate.Task.WaitAsync(cancellationToken);
            }

            await sandbox.SendAsync(message, cancellationToken);
        }
    }

    private sealed class Release(string phone, TaskCompletionSource gate) : IDisposable
    {
        public void Dispose()
        {
            Holds.TryRemove(new KeyValuePair<string, TaskCompletionSource>(phone, gate));
            gate.TrySetResult();
        }
    }

    private sealed class Refusal(string phone) : IDisposable
    {
        public void Dispose() => Refusals.TryRemove(phone, out _);
    }
}
