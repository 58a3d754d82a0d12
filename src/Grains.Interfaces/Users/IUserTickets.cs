using MeiLing.Grains.Consents;

namespace MeiLing.Grains.Users;

/// <summary>
/// The support tickets linked to a user, so an erasure always finds them. A role of the user grain (<see cref="IUserGrain"/>),
/// keyed by user id: it owns the gate and the daily allowance an opening passes; the links are rows of <c>user_tickets</c>.
/// </summary>
[Alias("meiling.user.tickets")]
public interface IUserTickets : IGrainWithStringKey
{
    /// <summary>Links a support ticket to the user.</summary>
    [Alias("attach-ticket")]
    Task AttachTicket(string ticketId);

    /// <summary>The ids of the tickets linked to the user, oldest first.</summary>
    [Alias("tickets")]
    [ReadOnly]
    Task<IReadOnlyList<string>> GetTicketIds();
}
