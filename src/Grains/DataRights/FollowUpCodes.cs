using System.Security.Cryptography;
using System.Text;

namespace MeiLing.Grains.DataRights;

/// <summary>
/// A cancellation's follow-up code: 16 characters of base32 (80 random bits), typed from a text message or kept by the
/// app. Guessing one is hopeless at the credential route's per-address rate, and a wrong one tells nothing, not even
/// whether the request exists.
/// </summary>
public static class FollowUpCodes
{
    public const int Length = 16;

    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static string New()
    {
        Span<byte> random = stackalloc byte[Length];
        RandomNumberGenerator.Fill(random);
        Span<char> chars = stackalloc char[Length];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[random[i] & 31];
        }

        return new string(chars);
    }

    /// <summary>Whether <paramref name="given"/> is the request's code, in time that does not depend on how much of it matched.</summary>
    public static bool Matches(string? kept, string given) =>
        kept is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(kept), Encoding.ASCII.GetBytes(given.Trim().ToLowerInvariant()));
}
