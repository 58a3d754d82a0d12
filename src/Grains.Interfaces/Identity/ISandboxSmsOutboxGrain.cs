namespace MeiLing.Grains.Identity;

/// <summary>
/// What the sandbox SMS sender "sent", in memory and bounded, so that no number is ever written to the
/// database. Exists only where the silos use the sandbox sender: elsewhere every call is 404.
/// </summary>
[Alias("meiling.sandbox-sms-outbox")]
public interface ISandboxSmsOutboxGrain : IGrainWithIntegerKey
{
    /// <summary>How many messages are kept; the oldest go first.</summary>
    public const int Kept = 1000;

    [Alias("record")]
    Task Record(SentSms message);

    /// <summary>The newest messages first, to <paramref name="normalizedPhone"/> only when given; 404 without the sandbox sender.</summary>
    [Alias("read")]
    Task<IReadOnlyList<SentSms>> Read(string? normalizedPhone, int limit);
}
