using System.Text.Json;
using System.Text.Json.Serialization;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Notifications;

namespace MeiLing.Grains.Users;

/// <summary>
/// What earlier versions kept in the user's state and now lives elsewhere: the consent history (in
/// <c>consent_receipts</c>), the notices (in the user's inbox) and the ticket links (in <c>user_tickets</c>). Read from
/// the fields a stored state still carries under their old names (<see cref="UserState.EarlierVersionFields"/>).
/// </summary>
public sealed record LegacyUserFields(
    IReadOnlyList<UserState.ConsentEntry> ConsentHistory,
    IReadOnlyList<UserNotification> Notifications,
    IReadOnlyList<string> TicketIds)
{
    private const string ConsentHistoryField = "ConsentHistory";
    private const string NotificationsField = "Notifications";
    private const string TicketIdsField = "TicketIds";

    private static readonly string[] Fields = [ConsentHistoryField, NotificationsField, TicketIdsField];

    // As the grain storage wrote them: property names as declared, enums by name.
    private static readonly JsonSerializerOptions Stored = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The fields as stored; null when the state carries none of them (it was written by this version).</summary>
    public static LegacyUserFields? Read(IReadOnlyDictionary<string, JsonElement>? stored) =>
        stored is not null && Fields.Any(stored.ContainsKey)
            ? new(Field<UserState.ConsentEntry>(stored, ConsentHistoryField), Field<UserNotification>(stored, NotificationsField), Field<string>(stored, TicketIdsField))
            : null;

    public static void Forget(Dictionary<string, JsonElement>? stored)
    {
        foreach (var field in Fields)
        {
            stored?.Remove(field);
        }
    }

    public IReadOnlyList<ConsentReceipt> Receipts(string userId, string jurisdiction) =>
        [.. ConsentHistory.Select(entry => entry.ToReceipt(userId, jurisdiction))];

    private static IReadOnlyList<T> Field<T>(IReadOnlyDictionary<string, JsonElement> stored, string name) =>
        stored.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.Deserialize<List<T>>(Stored) ?? [] : [];
}
