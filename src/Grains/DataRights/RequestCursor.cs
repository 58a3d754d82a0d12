using MeiLing.Grains.Platform;

namespace MeiLing.Grains.DataRights;

/// <summary>The opaque cursor of the open-request list: the due date and id of the last request on a page.</summary>
internal static class RequestCursor
{
    public static string Encode(RequestPosition position) => KeysetCursor.Encode(position.DueAt, position.RequestId);

    public static RequestPosition? Decode(string? cursor) =>
        string.IsNullOrEmpty(cursor) ? null
        : KeysetCursor.TryDecode(cursor, EntityId.RequestPrefix, out var dueAt, out var requestId) ? new RequestPosition(dueAt, requestId)
        : throw DomainException.InvalidField("cursor", "invalid-cursor", "The cursor is not one this API gave out.");
}
