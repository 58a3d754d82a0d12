namespace MeiLing.Grains.Users;

/// <summary>
/// Registering a user (P1.1) with the code texted to the number (purpose <c>register</c>); a birth date under 14
/// needs <see cref="GuardianConsent"/>, which the guardian then confirms with a code of their own (P5.1). With
/// <see cref="VerificationId"/>, only the code its send handed out is tried, with attempts of its own (P4.4).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.register-user")]
public sealed record RegisterUser(
    [property: Id(0)] string Phone,
    [property: Id(1)] string Password,
    [property: Id(2)] string Nickname,
    [property: Id(3)] string Region,
    [property: Id(4)] DateOnly? BirthDate,
    [property: Id(5)] string? AvatarUrl,
    [property: Id(6)] GuardianConsentGiven? GuardianConsent,
    [property: Id(7)] string? VerificationCode = null,
    [property: Id(8)] string? VerificationId = null,
    [property: Id(9)] string? PolicyVersion = null);

/// <summary>A parent's or guardian's consent for a child under 14 (P5.1).</summary>
[GenerateSerializer, Immutable, Alias("meiling.guardian-consent-given")]
public sealed record GuardianConsentGiven(
    [property: Id(0)] string GuardianName,
    [property: Id(1)] string GuardianPhone,
    [property: Id(2)] string Relationship);
