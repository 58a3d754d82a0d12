using Microsoft.AspNetCore.Identity;

namespace MeiLing.Grains.Users;

/// <summary>
/// Password hashing with ASP.NET Core Identity's hasher (PBKDF2-HMAC-SHA512, salted, 100,000 iterations):
/// slow to guess, never reversible (P1.1, P4.4).
/// </summary>
public static class Passwords
{
    public const int MinimumLength = 8;
    public const int MaximumLength = 128;

    private static readonly PasswordHasher<Credential> Hasher = new();
    private static readonly Credential Anyone = new();

    // Verified against when no account matches, so an unknown number costs as long as a wrong password.
    private static readonly string DecoyHash = Hasher.HashPassword(Anyone, Guid.NewGuid().ToString());

    public static string Hash(string password) => Hasher.HashPassword(Anyone, password);

    public static PasswordVerificationResult Verify(string hash, string password) =>
        Hasher.VerifyHashedPassword(Anyone, hash, password);

    public static void SpendDecoyVerification(string password) => Hasher.VerifyHashedPassword(Anyone, DecoyHash, password);

    private sealed class Credential;
}
