using MeiLing.Grains.Consents;

namespace MeiLing.Grains.Users;

/// <summary>The support tickets linked to a user, so an erasure always finds them. A role of the user grain (<see cref="IUserGrain"/>), keyed by user id.</summary>
[Alias("meiling.user.tickets")]
public interface IUserTickets : IGrainWithStringKey
{
    /// <summary>Links a support ticket to the user.</summary>
    [Alias("attach-ticket")]
    Task AttachTicket(string ticketId);

    [Alias("tickets")]
    [ReadOnly]
    Task<IReadOnlyList<string>> GetTicketIds();
}
