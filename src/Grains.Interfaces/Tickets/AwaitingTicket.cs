namespace MeiLing.Grains.Tickets;

/// <summary>
/// A ticket awaiting support's reply (P1.7), as support's queue lists it: whose, since the user's first message support has
/// not answered, and the day support is to have answered by (<see cref="ITicketGrain.ReplyWithin"/> later). Neither the
/// subject nor a word of the conversation: the ticket shows those, and its read is audited.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.awaiting-ticket")]
public sealed record AwaitingTicket(
    [property: Id(0)] string TicketId,
    [property: Id(1)] string UserId,
    [property: Id(2)] DateTimeOffset AwaitingReplySince,
    [property: Id(3)] DateTimeOffset ReplyDueAt)
{
    public static AwaitingTicket Since(string ticketId, string userId, DateTimeOffset since) => new(ticketId, userId, since, since + ITicketGrain.ReplyWithin);
}

/// <summary>A page of support's queue of tickets awaiting a reply, longest waiting first; <see cref="NextCursor"/> null on the last.</summary>
[GenerateSerializer, Immutable, Alias("meiling.awaiting-ticket-page")]
public sealed record AwaitingTicketPage(
    [property: Id(0)] IReadOnlyList<AwaitingTicket> Items,
    [property: Id(1)] string? NextCursor);
