namespace MeiLing.Grains.Identity;

/// <summary>A text message the sandbox sender kept instead of sending: for development and tests only.</summary>
[GenerateSerializer, Immutable, Alias("meiling.sent-sms")]
public sealed record SentSms(
    [property: Id(0)] string Phone,
    [property: Id(1)] string Text,
    [property: Id(2)] string Purpose,
    [property: Id(3)] DateTimeOffset SentAt);
