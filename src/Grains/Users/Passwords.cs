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

    /// <summary>
    /// P4.4: a password is 8 to 128 characters and not one of the commonest (the list shipped in
    /// <c>common-passwords.txt</c>, compared without case); 400 <c>weak-password</c> naming the rule otherwise.
    /// </summary>
    public static void EnsureStrong(string password, string field = "password")
    {
        if (password.Length is < MinimumLength or > MaximumLength)
        {
            throw DomainException.InvalidField(field, "weak-password", $"Passwords are {MinimumLength} to {MaximumLength} characters.");
        }

        if (Common.Value.Contains(password))
        {
            throw DomainException.InvalidField(field, "weak-password",
                "This password is one of the 1,000 commonest; choose one that is not (at least 8 characters, not a common password).");
        }
    }

    public static void SpendDecoyVerification(string password) => Hasher.VerifyHashedPassword(Anyone, DecoyHash, password);

    private static readonly Lazy<HashSet<string>> Common = new(() =>
    {
        using var stream = typeof(Passwords).Assembly.GetManifestResourceStream("MeiLing.Grains.Users.common-passwords.txt")
            ?? throw new InvalidOperationException("The common password list is not embedded.");
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                words.Add(line);
            }
        }

        return words;
    });

    private sealed class Credential;
}
