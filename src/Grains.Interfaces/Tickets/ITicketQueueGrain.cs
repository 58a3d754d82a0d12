namespace MeiLing.Grains.Tickets;

/// <summary>Support's queue of tickets awaiting its reply (P1.7): read from the ticket links' index, on any silo.</summary>
[Alias("meiling.ticket-queue")]
public interface ITicketQueueGrain : IGrainWithIntegerKey
{
    public const int MaxPageSize = 200;

    /// <summary>The tickets awaiting support's reply, longest waiting first, a page at a time; 400 for a cursor not given out here.</summary>
    [Alias("awaiting-reply")]
    [ReadOnly]
    Task<AwaitingTicketPage> AwaitingReply(string? cursor, int limit);
}
