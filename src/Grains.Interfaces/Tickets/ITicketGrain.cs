namespace MeiLing.Grains.Tickets;

/// <summary>A customer-service ticket, keyed by ticket id (<c>tkt_…</c>), linked to its user (P1.7).</summary>
// Version 1 adds GetNewest: a call reaching an activation on a silo of the release before moves it to one that has it.
[Alias("meiling.ticket"), Orleans.CodeGeneration.Version(1)]
public interface ITicketGrain : IGrainWithStringKey
{
    /// <summary>The most characters one message holds (the API refuses longer ones).</summary>
    public const int MaxMessageCharacters = 2_000;

    /// <summary>How long support has to answer a user's message (P1.7, as a request is answered within P8.1's 15 days).</summary>
    public static readonly TimeSpan ReplyWithin = TimeSpan.FromDays(15);

    [Alias("open")]
    Task<TicketView> Open(string userId, string subject, TicketMessage first);

    [Alias("add-message")]
    Task<TicketView> AddMessage(TicketMessage message);

    /// <summary>Erases the ticket and its messages; false when there was nothing to erase.</summary>
    [Alias("erase")]
    Task<bool> Erase();

    [Alias("get")]
    [ReadOnly]
    Task<TicketView?> Get();

    /// <summary>
    /// The ticket with only its newest <paramref name="messages"/> messages (awaiting a reply or not as the whole ticket
    /// is), and how many messages it holds in all; null when there is no ticket. P4.4 (*reviewer*): support's page of a
    /// user read each of fifty tickets whole, up to 505 messages each, and masked every message to show the newest 20.
    /// </summary>
    [Alias("get-newest")]
    [ReadOnly]
    Task<NewestTicketMessages?> GetNewest(int messages);

    /// <summary>
    /// The ticket as its user reads it (P1.7): each support agent named by the pseudonym the user's access log gives them,
    /// never by their staff id, which is the same in every user's tickets. Null when there is no ticket.
    /// </summary>
    [Alias("get-for-its-user")]
    [ReadOnly]
    Task<TicketView?> GetForItsUser();

    /// <summary>The ticket as its user's access bundle shows it, driven by the data-category tags; null when none.</summary>
    [Alias("export-personal-data")]
    [ReadOnly]
    Task<string?> ExportPersonalData();
}
