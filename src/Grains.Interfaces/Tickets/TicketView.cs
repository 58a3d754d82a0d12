namespace MeiLing.Grains.Tickets;

/// <summary>A support ticket with its whole conversation (P1.7), and whether it awaits support's reply and by when.</summary>
[GenerateSerializer, Immutable, Alias("meiling.ticket-view")]
public sealed record TicketView(
    [property: Id(0)] string TicketId,
    [property: Id(1)] string UserId,
    [property: Id(2)] string Subject,
    [property: Id(3)] IReadOnlyList<TicketMessage> Messages,
    [property: Id(4)] DateTimeOffset OpenedAt,
    [property: Id(5)] DateTimeOffset? AwaitingReplySince = null,
    [property: Id(6)] DateTimeOffset? ReplyDueAt = null);

/// <summary>One message of a ticket and who wrote it.</summary>
[GenerateSerializer, Immutable, Alias("meiling.ticket-message")]
public sealed record TicketMessage(
    [property: Id(0)] TicketAuthor Author,
    [property: Id(1)] string AuthorId,
    [property: Id(2)] string Text,
    [property: Id(3)] DateTimeOffset At);

[GenerateSerializer, Alias("meiling.ticket-author")]
public enum TicketAuthor
{
    User = 0,
    Support = 1,
}
