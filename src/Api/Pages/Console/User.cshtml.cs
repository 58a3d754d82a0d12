using MeiLing.Api.Apis;
using MeiLing.Api.Consoles;
using MeiLing.Api.Security;
using MeiLing.Grains.Consents;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Tickets;
using MeiLing.Grains.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace MeiLing.Api.Pages.Console;

/// <summary>
/// A user as support sees them, read through the API's own handlers (so masked as the API masks, and
/// 404 where the API would be): profile, consents and receipts (a withdrawal's with the parties told of it), requests, orders; tickets
/// from their grains, their newest messages masked as the API masks them. Each GET and action is audited by the
/// support-audit middleware with the user's id.
/// </summary>
[Authorize(Policy = AuthorizationPolicies.Support)]
public sealed class UserModel(IClusterClient cluster, ConsentReads consents, TimeProvider clock) : ConsolePageModel(cluster)
{
    [FromRoute]
    public string UserId { get; set; } = "";

    [BindProperty]
    public RequestForm? Input { get; set; }

    public UserProfile? Profile { get; private set; }

    public IReadOnlyList<ConsentStatus> Consents { get; private set; } = [];

    /// <summary>The newest receipts, each withdrawal's with the parties told of it, a failed one with its Re-send button.</summary>
    public ConsentReceiptsShown Receipts { get; private set; } = ConsentReceiptsShown.None;

    /// <summary>The newest requests shown; the whole list is the API's paged one and the export.</summary>
    public const int RequestsShown = IDataRightsRequestsGrain.MaxUserPageSize;

    public IReadOnlyList<DataRightsRequestView> Requests { get; private set; } = [];

    public IReadOnlyList<OrderSummary> Orders { get; private set; } = [];

    /// <summary>The tickets one view reads and shows, newest first: a user who files without end does not make each view wake them all.</summary>
    public const int TicketsShown = 50;

    /// <summary>How many of the newest tickets this view passes over (<c>?ticketsFrom=</c>): 0 shows the newest.</summary>
    [FromQuery(Name = "ticketsFrom")]
    public int TicketsFrom { get; set; }

    public IReadOnlyList<TicketView> Tickets { get; private set; } = [];

    /// <summary>
    /// The newest messages shown of each ticket (P4.4, *reviewer*): a ticket holds up to 500 messages, and fifty full ones
    /// made a page of tens of megabytes on every view; the whole ticket is the API's <c>GET /v1/tickets/{ticketId}</c>.
    /// </summary>
    public const int TicketMessagesShown = 20;

    /// <summary>How many earlier messages of a ticket this view leaves out, by ticket id.</summary>
    public IReadOnlyDictionary<string, int> EarlierMessages { get; private set; } = new Dictionary<string, int>();

    /// <summary>How many tickets the user has in all.</summary>
    public int TicketsTotal { get; private set; }

    /// <summary>How many of them this view's page holds (a ticket gone since is not shown, but counted here).</summary>
    public int TicketsOnPage { get; private set; }

    /// <summary>Tickets older than this page's, a page further on.</summary>
    public int OlderTickets => Math.Max(TicketsTotal - TicketsFrom - TicketsOnPage, 0);

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        return Profile is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostFileRequestAsync()
    {
        if (await FileRequestAsync(UserId, Input, filed => $"已提交 {filed.RequestId}（{Labels.Status(filed.Status)}）。Filed."))
        {
            return Redirect($"/console/users/{UserId}");
        }

        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostReplyAsync([FromForm] string? message)
    {
        // The request names the ticket, the route names the user the page (and its audit entry) is about: a ticket
        // of another user is not on this page, so replying to it here is 404, as an id outside the scope is in the API.
        // The ticket is taken from the query alone, where the support audit middleware reads it (P1.7): named in the
        // form's fields instead, the reply was written with an audit entry that did not say which ticket it went to.
        var ticketId = QueryIdAsAudited("ticketId");
        if (ticketId is null || !EntityId.IsWellFormed(ticketId, EntityId.TicketPrefix)
            || await Cluster.GetGrain<ITicketGrain>(ticketId).Get() is not { } ticket || ticket.UserId != UserId)
        {
            return NotFound();
        }

        var reply = new AddTicketMessageRequest(message ?? "");
        if (EdgeValidation.Errors(reply) is { } invalid)
        {
            Error = invalid;
        }
        else if (Accept(ApiAnswer.Of<TicketView>(await TicketsApi.AddMessage(ticketId, reply, User, Cluster, clock, HttpContext)), out _))
        {
            Notice = "已回复。Replied.";
            return Redirect($"/console/users/{UserId}");
        }

        await LoadAsync();
        return Page();
    }

    /// <summary>
    /// The query's <paramref name="name"/> as the support audit middleware writes it into the entry: given once, under that
    /// very spelling. Model binding reads a query case-insensitively and takes the first of several values, where the
    /// middleware passes over a key spelled otherwise (<c>ticketid</c>) and writes every value: either way a reply went to
    /// a ticket its audit entry did not name, and the user's access log could not say which (P1.7).
    /// </summary>
    private string? QueryIdAsAudited(string name) =>
        Request.Query.TryGetValue(name, out var values) && values.Count == 1 && Request.Query.Keys.Contains(name, StringComparer.Ordinal)
            ? values[0]
            : null;

    private async Task LoadAsync()
    {
        if (!Accept(ApiAnswer.Of<UserProfile>(await UsersApi.GetProfile(UserId, User, Cluster)), out var profile))
        {
            return;
        }

        Profile = profile;
        Consents = ApiAnswer.Of<ItemPage<ConsentStatus>>(await UsersApi.GetConsents(UserId, User, consents)).Value?.Items ?? [];
        Receipts = await ConsentReceiptsShown.LoadAsync(Cluster, UserId);
        // The newest, shown oldest first as before; the whole list is the API's paged one.
        Requests = [.. (await Cluster.GetGrain<IDataRightsRequestsGrain>(0).OfUser(UserId, 0, RequestsShown, newestFirst: true))
            .Take(RequestsShown).Reverse().Select(request => RequestsApi.AsSeenBy(User, request))];
        Orders = ApiAnswer.Of<OrderPage>(await UsersApi.GetOrders(UserId, User, Cluster, 20, null)).Value?.Items ?? [];
        // P4.4: one page of the newest tickets, each read from its grain; the count says what lies beyond.
        TicketsFrom = Math.Max(TicketsFrom, 0);
        var tickets = await Cluster.GetGrain<IUserTickets>(UserId).GetNewestTicketIds(TicketsFrom, TicketsShown);
        TicketsTotal = tickets.Total;
        TicketsOnPage = tickets.TicketIds.Count;
        // P4.4 (*reviewer*): each ticket's newest messages alone leave its grain, and only they are masked: read whole through
        // the API's handler, fifty full tickets made each view carry and mask some 25,000 messages to show 1,000. Masked as
        // that handler masks for support; the page is audited with its route's user, so the handler's audit of the ticket's
        // user had nothing to add. A ticket not the route user's is not on this page, as for a reply.
        var newest = await Task.WhenAll(tickets.TicketIds.Select(id => Cluster.GetGrain<ITicketGrain>(id).GetNewest(TicketMessagesShown)));
        var shown = newest.OfType<NewestTicketMessages>().Where(read => read.Ticket.UserId == UserId).ToList();
        EarlierMessages = shown.ToDictionary(read => read.Ticket.TicketId, read => Math.Max(read.MessagesInAll - read.Ticket.Messages.Count, 0));
        Tickets = [.. shown.Select(read => read.Ticket.MaskedForSupport())];
    }
}
