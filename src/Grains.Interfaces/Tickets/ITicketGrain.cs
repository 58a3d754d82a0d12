namespace MeiLing.Grains.Tickets;

/// <summary>A customer-service ticket, keyed by ticket id (<c>tkt_…</c>), linked to its user (P1.7).</summary>
[Alias("meiling.ticket")]
public interface ITicketGrain : IGrainWithStringKey
{
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

    /// <summary>The ticket as its user's access bundle shows it, driven by the data-category tags; null when none.</summary>
    [Alias("export-personal-data")]
    [ReadOnly]
    Task<string?> ExportPersonalData();
}
