using System.Text.Json;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy.Encryption;
using MeiLing.Grains.Users;

namespace MeiLing.Grains.Audit;

/// <summary>
/// What a user reads of the audit entries about them (P1.7, P1.3): the one place that turns an entry into an
/// <see cref="AccessLogEntry"/>, for the access-log route and the export alike. Staff are named by a pseudonym that only
/// this user's log uses (their privacy: never their id, name or key); an entry's detail is never shown, only an id in
/// it that is known to be the user's own, since a support call's detail holds whatever ids its route and query named.
/// </summary>
internal sealed class AccessLogView(UserDataKeys keys, UserTicketStore tickets)
{
    // Roles shown as they are; any other actor (identity checks, a request's own steps) is the platform itself.
    private static readonly HashSet<string> RolesShown = new(StringComparer.Ordinal) { "support", "operator", "user", "guardian", "merchant" };

    // Staff get a pseudonym; a user, a guardian or the platform need none.
    private static readonly HashSet<string> StaffRoles = new(StringComparer.Ordinal) { "support", "operator" };

    private const string SubjectFrom = "subjectFrom";
    private const string RequestIdName = "requestId";
    private const string TicketIdName = "ticketId";
    private const string OrderIdName = "orderId";
    private const string ReceiptIdName = "receiptId";

    public async Task<IReadOnlyList<AccessLogEntry>> ShowAsync(string userId, IReadOnlyList<AuditRecord> records)
    {
        var found = records.Select(record => (Record: record, Ids: IdsOf(record.Entry))).ToList();
        var usersTickets = await UsersTicketsAmongAsync(userId, found.Select(item => item.Ids.UnprovenTicketId));
        var pseudonyms = new Dictionary<string, string?>(StringComparer.Ordinal);
        var shown = new List<AccessLogEntry>(found.Count);
        foreach (var (record, ids) in found)
        {
            var entry = record.Entry;
            string? actor = null;
            if (StaffRoles.Contains(entry.ActorRole) && !pseudonyms.TryGetValue(entry.ActorId, out actor))
            {
                actor = await PseudonymAsync(userId, entry.ActorId);
                pseudonyms[entry.ActorId] = actor;
            }

            var ticketId = ids.TicketId ?? (ids.UnprovenTicketId is { } unproven && usersTickets.Contains(unproven) ? unproven : null);
            shown.Add(new AccessLogEntry(
                record.At, RolesShown.Contains(entry.ActorRole) ? entry.ActorRole : "system", actor, entry.Action, ids.RequestId, ticketId, ids.OrderId,
                ids.ReceiptId));
        }

        return shown;
    }

    private Task<string?> PseudonymAsync(string userId, string actorId) => StaffPseudonyms.OfAsync(keys, userId, actorId);

    private async Task<HashSet<string>> UsersTicketsAmongAsync(string userId, IEnumerable<string?> candidates)
    {
        var theirs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ticketId in candidates.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (await tickets.IsLinkedAsync(userId, ticketId))
            {
                theirs.Add(ticketId);
            }
        }

        return theirs;
    }

    /// <summary>
    /// The ids an entry may show: a request's own entries name their request (their actor, or first in the detail,
    /// as <see cref="IAuditLogGrain.AboutRequest"/> finds them); a support call by id names the resource its user was
    /// read from (<c>subjectFrom</c>, found by the handler to be this user's: a request, ticket, order or consent receipt). Any other ticket id a support call named
    /// is only a candidate: shown once it is found among the user's own tickets. Nothing else is shown.
    /// </summary>
    private static EntryIds IdsOf(AuditEntry entry)
    {
        var (first, detail) = Read(entry.Detail);
        if (first == RequestIdName || EntityId.IsWellFormed(entry.ActorId, EntityId.RequestPrefix))
        {
            var requestId = first == RequestIdName ? detail.GetValueOrDefault(RequestIdName) : entry.ActorId;
            return new EntryIds(RequestId: EntityId.IsWellFormed(requestId, EntityId.RequestPrefix) ? requestId : null);
        }

        if (first == SubjectFrom)
        {
            var name = detail.GetValueOrDefault(SubjectFrom);
            var id = name is null ? null : detail.GetValueOrDefault(name);
            return name switch
            {
                RequestIdName when EntityId.IsWellFormed(id, EntityId.RequestPrefix) => new EntryIds(RequestId: id),
                TicketIdName when EntityId.IsWellFormed(id, EntityId.TicketPrefix) => new EntryIds(TicketId: id),
                OrderIdName when EntityId.IsWellFormed(id, EntityId.OrderPrefix) => new EntryIds(OrderId: id),
                ReceiptIdName when EntityId.IsWellFormed(id, EntityId.ReceiptPrefix) => new EntryIds(ReceiptId: id),
                _ => default,
            };
        }

        return detail.GetValueOrDefault(TicketIdName) is { } candidate && EntityId.IsWellFormed(candidate, EntityId.TicketPrefix)
            ? new EntryIds(UnprovenTicketId: candidate)
            : default;
    }

    // The detail's first member's name and its top-level string members; none for a detail that is not a JSON object
    // (none is written so).
    private static (string? First, Dictionary<string, string?> Members) Read(string? detail)
    {
        var members = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(detail))
        {
            return (null, members);
        }

        try
        {
            using var document = JsonDocument.Parse(detail);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, members);
            }

            string? first = null;
            foreach (var member in document.RootElement.EnumerateObject())
            {
                first ??= member.Name;
                members.TryAdd(member.Name, member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : null);
            }

            return (first, members);
        }
        catch (JsonException)
        {
            return (null, members);
        }
    }

    private readonly record struct EntryIds(
        string? RequestId = null, string? TicketId = null, string? OrderId = null, string? UnprovenTicketId = null, string? ReceiptId = null);
}
