using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;

namespace MeiLing.Grains.Tickets;

// Reads the database only, holding nothing between calls: one on every silo that asks, none waiting on another's query.
[StatelessWorker]
[Reentrant]
internal sealed class TicketQueueGrain(UserTicketStore links) : Grain, ITicketQueueGrain
{
    async Task<AwaitingTicketPage> ITicketQueueGrain.AwaitingReply(string? cursor, int limit)
    {
        var take = Math.Clamp(limit, 1, ITicketQueueGrain.MaxPageSize);
        DateTimeOffset? afterSince = null;
        var afterTicketId = "";
        if (cursor is not null)
        {
            if (!KeysetCursor.TryDecode(cursor, EntityId.TicketPrefix, out var since, out var ticketId))
            {
                throw DomainException.InvalidField("cursor", "invalid-cursor", "The cursor is not one this API gave out.");
            }

            (afterSince, afterTicketId) = (since, ticketId);
        }

        var rows = await links.AwaitingReplyAsync(afterSince, afterTicketId, take + 1);
        var page = rows.Take(take).ToList();
        return new AwaitingTicketPage(page, rows.Count > take ? KeysetCursor.Encode(page[^1].AwaitingReplySince, page[^1].TicketId) : null);
    }
}
