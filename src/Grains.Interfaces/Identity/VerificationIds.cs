using System.Buffers;
using System.Security.Cryptography;

namespace MeiLing.Grains.Identity;

/// <summary>
/// The id a code's send hands its asker (P4.4): a code presented with it has five guesses of its own,
/// so a stranger guessing at a number's codes cannot burn the one its owner asked for. Random, not time-ordered like
/// the platform's entity ids: only whoever asked for the code may hold it.
/// </summary>
public static class VerificationIds
{
    public const string Prefix = "vrf_";

    private const int RandomBytes = 16;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    public static string New() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(RandomBytes));

    public static bool IsWellFormed(string? id) =>
        id is { Length: 4 + 2 * RandomBytes }
        && id.StartsWith(Prefix, StringComparison.Ordinal)
        && !id.AsSpan(Prefix.Length).ContainsAnyExcept(LowerHex);
}
