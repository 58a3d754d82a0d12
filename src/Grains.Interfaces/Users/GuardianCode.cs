namespace MeiLing.Grains.Users;

/// <summary>
/// A guardian's code for a child's account (P5.1), with the verification id its send handed out when the asker has one:
/// then a child, or anyone holding the child's id, guessing wrong codes at the anonymous withdrawal cannot burn it (P4.4).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.guardian-code")]
public sealed record GuardianCode(
    [property: Id(0)] string VerificationCode,
    [property: Id(1)] string? VerificationId = null);
