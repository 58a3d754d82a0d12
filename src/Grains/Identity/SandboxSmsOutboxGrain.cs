namespace MeiLing.Grains.Identity;

// In memory on purpose: the outbox holds numbers in clear, which must never reach PostgreSQL (P4.4). A
// restarted silo starts with an empty outbox; whoever waits for a code asks for another.
internal sealed class SandboxSmsOutboxGrain(ISmsSender sender) : Grain, ISandboxSmsOutboxGrain
{
    private readonly LinkedList<SentSms> _sent = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Kept for the life of the silo rather than the default idle timeout: a developer reads a code minutes later.
        DelayDeactivation(TimeSpan.FromDays(1));
        return Task.CompletedTask;
    }

    Task ISandboxSmsOutboxGrain.Record(SentSms message)
    {
        EnsureSandbox();
        _sent.AddFirst(message);
        while (_sent.Count > ISandboxSmsOutboxGrain.Kept)
        {
            _sent.RemoveLast();
        }

        return Task.CompletedTask;
    }

    Task<IReadOnlyList<SentSms>> ISandboxSmsOutboxGrain.Read(string? normalizedPhone, int limit)
    {
        EnsureSandbox();
        return Task.FromResult<IReadOnlyList<SentSms>>([.. _sent.Where(message => normalizedPhone is null || message.Phone == normalizedPhone).Take(limit)]);
    }

    private void EnsureSandbox()
    {
        // By name, as MEILING_SMS_SENDER chooses it: a sender that wraps the sandbox's (the tests' held texts) keeps it.
        if (sender.Name != SandboxSmsSender.SenderName)
        {
            throw DomainException.NotFound("sandbox-not-in-use", "This deployment does not use the sandbox SMS sender.");
        }
    }
}
