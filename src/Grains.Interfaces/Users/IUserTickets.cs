using MeiLing.Grains.Consents;
using MeiLing.Grains.Tickets;

namespace MeiLing.Grains.Users;

/// <summary>
/// The support tickets linked to a user, so an erasure always finds them. A role of the user grain (<see cref="IUserGrain"/>),
/// keyed by user id: it owns the gate and the daily allowance an opening passes; the links are rows of <c>user_tickets</c>.
/// </summary>
[Alias("meiling.user.tickets")]
public interface IUserTickets : IGrainWithStringKey
{
    /// <summary>Links a support ticket to the user, taken from the user's own daily allowance (as the previous release did).</summary>
    [Alias("attach-ticket")]
    Task AttachTicket(string ticketId);

    /// <summary>
    /// Links a support ticket to the user; a ticket support opens is taken from an allowance of support's own, so an agent
    /// cannot spend the user's (nor the user support's).
    /// </summary>
    [Alias("attach-ticket-opened-by")]
    Task AttachTicketOpenedBy(string ticketId, TicketAuthor openedBy);

    /// <summary>The ids of the tickets linked to the user, oldest first.</summary>
    [Alias("tickets")]
    [ReadOnly]
    Task<IReadOnlyList<string>> GetTicketIds();

    /// <summary>
    /// At most <paramref name="take"/> (1 to <see cref="MaxTicketPage"/>) of the user's ticket ids, newest first, after
    /// the newest <paramref name="skip"/>; and how many there are in all: what a page about the user shows, without
    /// reading every ticket a user who files without end has.
    /// </summary>
    [Alias("tickets-newest-page")]
    [ReadOnly]
    Task<TicketIdPage> GetNewestTicketIds(int skip, int take);

    /// <summary>The most ticket ids one page holds.</summary>
    public const int MaxTicketPage = 100;
}
