using MeiLing.Api.Apis;
using Microsoft.AspNetCore.DataProtection;

namespace MeiLing.Api.Audit;

/// <summary>
/// The cursor of a user's access log: where the last page ended, sealed with the API's shared key ring. The position is
/// an audit sequence, which counts every entry on the platform: in clear, two pages a day apart would tell a user how
/// much support and the platform did meanwhile. The cursor is bound to its user: another user's, a changed or a
/// made-up one does not open (400 naming <c>cursor</c>).
/// </summary>
public static class AccessLogCursor
{
    private const string Purpose = "meiling.access-log-cursor.v1";

    public static string Write(IDataProtectionProvider protection, string userId, long before) =>
        SealedUserCursor.Write(protection, Purpose, userId, before);

    /// <summary>Where <paramref name="cursor"/> points, when it is one <see cref="Write"/> gave for <paramref name="userId"/>.</summary>
    public static bool TryRead(IDataProtectionProvider protection, string userId, string cursor, out long before) =>
        SealedUserCursor.TryRead(protection, Purpose, userId, cursor, out before) && before > 0;
}
