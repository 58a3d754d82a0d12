namespace MeiLing.Grains.Identity;

/// <summary>
/// Sends a text message to a mainland mobile number. The silo registers exactly one: the sandbox (keeps what
/// it sent, for development and tests), none (drops everything), or a real provider's adapter (Aliyun SMS,
/// Tencent Cloud SMS; docs/security.md says how one plugs in).
/// </summary>
public interface ISmsSender
{
    /// <summary>The sender's name as <c>MEILING_SMS_SENDER</c> spells it.</summary>
    string Name { get; }

    Task SendAsync(SmsMessage message, CancellationToken cancellationToken = default);
}

/// <summary>One text: the normalized number, the words, and why it is sent (a code's purpose, or <c>notice</c>).</summary>
public sealed record SmsMessage(string Phone, string Text, string Purpose);

/// <summary>The sender that sends nothing: a deployment without SMS. Codes are still made, so nobody can register by guessing.</summary>
public sealed class NoSmsSender : ISmsSender
{
    public const string SenderName = "none";

    public string Name => SenderName;

    public Task SendAsync(SmsMessage message, CancellationToken cancellationToken = default) => Task.CompletedTask;
}

/// <summary>
/// The sandbox sender: keeps each message in the in-memory outbox grain an operator reads at
/// <c>GET /v1/sandbox/sms</c>. Refused at start-up in Production (the silo host checks).
/// </summary>
public sealed class SandboxSmsSender(IGrainFactory grains, TimeProvider clock) : ISmsSender
{
    public const string SenderName = "sandbox";

    public string Name => SenderName;

    public Task SendAsync(SmsMessage message, CancellationToken cancellationToken = default) =>
        grains.GetGrain<ISandboxSmsOutboxGrain>(0).Record(new SentSms(message.Phone, message.Text, message.Purpose, clock.GetUtcNow()));
}
