using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace MeiLing.Grains.DataRights;

/// <summary>The opaque cursor of the open-request list: the position of the last request on a page.</summary>
internal static class RequestCursor
{
    public static string Encode(RequestPosition position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{position.DueAt.UtcTicks}|{position.RequestId}")));

    public static RequestPosition? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        var text = Base64Url.IsValid(cursor) ? Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)) : "";
        var separator = text.IndexOf('|', StringComparison.Ordinal);
        return separator > 0
            && long.TryParse(text.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new RequestPosition(new DateTimeOffset(ticks, TimeSpan.Zero), text[(separator + 1)..])
            : throw DomainException.Invalid("invalid-cursor", "The cursor is not one this API gave out.");
    }
}
