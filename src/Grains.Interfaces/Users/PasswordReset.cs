namespace MeiLing.Grains.Users;

/// <summary>
/// A new password for the number's account, proved with a <c>reset-password</c> code: with the code's verification id
/// when its asker has one (P4.4), and whether the new password should sign its owner in at once.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.password-reset")]
public sealed record PasswordReset(
    [property: Id(0)] string Phone,
    [property: Id(1)] string VerificationCode,
    [property: Id(2)] string NewPassword,
    [property: Id(3)] string? VerificationId = null,
    [property: Id(4)] bool SignIn = false);
