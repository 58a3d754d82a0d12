using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace MeiLing.Api.Apis;

/// <summary>
/// A cursor sealed with the API's shared key ring and bound to one user: a position the caller can neither read nor make up
/// (another user's, a changed or a made-up one does not open). For positions that would tell more than the page shows.
/// </summary>
public static class SealedUserCursor
{
    public static string Write(IDataProtectionProvider protection, string purpose, string userId, long position) =>
        protection.CreateProtector(purpose).Protect($"{userId}|{position.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Where <paramref name="cursor"/> points, when it is one <see cref="Write"/> gave for <paramref name="userId"/> and <paramref name="purpose"/>.</summary>
    public static bool TryRead(IDataProtectionProvider protection, string purpose, string userId, string cursor, out long position)
    {
        position = 0;
        string plain;
        try
        {
            plain = protection.CreateProtector(purpose).Unprotect(cursor);
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException)
        {
            return false;
        }

        var parts = plain.Split('|');
        return parts.Length == 2 && parts[0] == userId
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out position);
    }
}
