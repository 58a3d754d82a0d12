using System.Security.Cryptography;
using System.Text;

namespace MeiLing.Grains.Staff;

/// <summary>
/// How a cashier's record names a top-up it counted (A.2, P4.1): a digest of the card's key and the operation, never the
/// card's key itself, which names the member. The staff record is kept in clear, apart from the member's data and outside
/// their erasure; under the card's key it named the member beside each amount a cashier put on their card.
/// </summary>
public static class CountedOperations
{
    private const int Length = 32;

    /// <summary>The name of the operation <paramref name="operationId"/> on the card <paramref name="cardKey"/>.</summary>
    public static string Of(string cardKey, string operationId) => Digest($"{cardKey}:{operationId}");

    /// <summary>Whether <paramref name="counted"/> is such a name, not one an older release kept (the card's key and the operation).</summary>
    public static bool IsPseudonymous(string counted) => counted.Length == Length && counted.All(char.IsAsciiHexDigitUpper);

    /// <summary>The name an older release's <paramref name="legacy"/> (<c>{cardKey}:{operationId}</c>) has now: the same top-up.</summary>
    public static string FromLegacy(string legacy) => Digest(legacy);

    private static string Digest(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..Length];
}
