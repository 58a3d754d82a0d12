namespace MeiLing.Grains.Tickets;

/// <summary>
/// A ticket with only its newest messages (<see cref="ITicketGrain.GetNewest"/>), and how many it holds in all, so a
/// reader showing the newest can say how many earlier ones it leaves out.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.newest-ticket-messages")]
public sealed record NewestTicketMessages(
    [property: Id(0)] TicketView Ticket,
    [property: Id(1)] int MessagesInAll);
