using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MeiLing.Api.Audit;
using MeiLing.Api.Security;
using MeiLing.Api.Validation;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Tickets;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>Customer-service tickets with their message history (P1.7): the user and support write; support is audited.</summary>
public static class TicketsApi
{
    public static IEndpointRouteBuilder MapTicketsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/users/{userId:id}/tickets", OpenTicket).ForCaller(CallerScope.TheUserOrSupport)
            .WithTags("Support tickets").WithName("OpenTicket").WithSummary("Open a ticket for the user: the user opens 10 a day, support 10 a day for one user and each agent 100 a day for all users (MEILING_SUPPORT_TICKETS_PER_DAY), then 429 quota-exceeded (P4.4).");

        routes.MapGet("/v1/tickets", ListAwaitingReply).RequireAuthorization(AuthorizationPolicies.Support).RequireRateLimiting(RateLimits.HeavyReadsPolicy)
            .WithTags("Support tickets").WithName("ListTicketsAwaitingReply")
            .WithSummary("awaitingReply=true: the tickets awaiting support's reply, longest waiting first, a page of limit (1-200, default 50) with nextCursor: {ticketId, userId, awaitingReplySince, replyDueAt}, due 15 days after the user's first message support has not answered (P1.7). Support only; each ticket listed is in its user's access log, once a day for an agent.");

        var ticket = routes.MapGroup("/v1/tickets/{ticketId:id}").WithTags("Support tickets")
            .RequireAuthorization(AuthorizationPolicies.UserOrSupport);
        ticket.MapPost("/messages", AddMessage).AuditsSubjectOf("ticketId")
            .WithName("AddTicketMessage").WithSummary("Add a message to the ticket; 409 ticket-full past 500 messages or 100,000 characters in all (open a new one); a user writes at most 200 a day across their tickets (MEILING_TICKET_MESSAGES_PER_USER_PER_DAY), then 429 quota-exceeded (P4.4). Support's reply is audited with the ticket's user as its subject before it is added (P1.7).");
        // P4.4 (*reviewer*): a whole ticket is up to 500 messages and 100,000 characters, read and written out each time; a user's
        // loop on it at their whole rate answered megabytes a second. A heavy read.
        ticket.MapGet("/", GetTicket).AuditsSubjectOf("ticketId").RequireRateLimiting(RateLimits.HeavyReadsPolicy)
            .WithName("GetTicket").WithSummary("The ticket with all its messages (support: audited with the ticket's user as its subject, P1.7). Spends the caller's heavy reads (MEILING_RATE_LIMIT_HEAVY_READS_PER_SECOND; 429 past them). Its user reads a support message's authorId as the pseudonym their access log gives that agent (staff_…), never the staff id; support reads staff ids and the numbers masked.");
        return routes;
    }

    private static async Task<Created<TicketOpened>> OpenTicket(
        string userId, OpenTicketRequest request, ClaimsPrincipal caller, IClusterClient cluster, TimeProvider clock)
    {
        var ticketId = EntityId.New(EntityId.TicketPrefix);
        await cluster.GetGrain<ITicketGrain>(ticketId).Open(userId, request.Subject.Trim(), Message(caller, request.Message, clock));
        return TypedResults.Created($"/v1/tickets/{ticketId}", new TicketOpened(ticketId));
    }

    internal static async Task<Results<Created<TicketView>, NotFound>> AddMessage(
        string ticketId, AddTicketMessageRequest request, ClaimsPrincipal caller, IClusterClient cluster, TimeProvider clock, HttpContext context)
    {
        if (await VisibleTicket(ticketId, caller, cluster) is not { } visible)
        {
            return TypedResults.NotFound();
        }

        // P1.7: support's reply is written with the ticket's user, read from the ticket, before it is added.
        await SupportAudit.SubjectFoundAsync(context, visible.UserId);

        var grain = cluster.GetGrain<ITicketGrain>(ticketId);
        var ticket = await grain.AddMessage(Message(caller, request.Message, clock));
        return TypedResults.Created($"/v1/tickets/{ticketId}", await AsSeenByAsync(caller, ticket, grain));
    }

    internal static async Task<Results<Ok<TicketView>, NotFound>> GetTicket(string ticketId, ClaimsPrincipal caller, IClusterClient cluster, HttpContext context)
    {
        if (await VisibleTicket(ticketId, caller, cluster) is not { } ticket)
        {
            return TypedResults.NotFound();
        }

        // P1.7: support's look-up is written with the ticket's user, read from the ticket, before it is shown.
        await SupportAudit.SubjectFoundAsync(context, ticket.UserId);
        return TypedResults.Ok(ticket);
    }

    // P1.7 (*reviewer*): a user's ticket reached an agent only if one happened to open that user's page; nothing listed what
    // awaited an answer, nor since when. The queue names no subject and no word: the ticket's read, audited, shows those.
    internal static async Task<Results<Ok<ItemPage<AwaitingTicket>>, ValidationProblem>> ListAwaitingReply(
        IClusterClient cluster, HttpContext context, bool? awaitingReply, [Range(1, ITicketQueueGrain.MaxPageSize)] int? limit, [StringLength(256)] string? cursor)
    {
        if (awaitingReply is not true)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["awaitingReply"] = ["Only awaitingReply=true is listed."] });
        }

        var page = await cluster.GetGrain<ITicketQueueGrain>(0).AwaitingReply(cursor, limit ?? 50);
        await SupportAudit.SubjectsListedAsync(context, "ticketId", page.Items.Select(item => (item.UserId, item.TicketId)));
        return TypedResults.Ok(new ItemPage<AwaitingTicket>(page.Items, page.NextCursor));
    }

    // P1.7: the user reads each agent under the pseudonym of their access log, never the staff id (the same in every
    // user's tickets, so users comparing them followed an agent across accounts); support reads the numbers masked.
    private static async Task<TicketView?> VisibleTicket(string ticketId, ClaimsPrincipal caller, IClusterClient cluster)
    {
        var grain = cluster.GetGrain<ITicketGrain>(ticketId);
        var ticket = caller.IsInRole(Roles.User) ? await grain.GetForItsUser() : await grain.Get();
        return ticket is null || !caller.CanActForUser(ticket.UserId) ? null
            : caller.IsUser(ticket.UserId) ? ticket
            : ticket.MaskedForSupport();
    }

    private static async Task<TicketView> AsSeenByAsync(ClaimsPrincipal caller, TicketView ticket, ITicketGrain grain) =>
        caller.IsUser(ticket.UserId)
            // Erased in between (the account closing): nothing of it left to show.
            ? await grain.GetForItsUser() ?? ticket with { Messages = [] }
            : ticket.MaskedForSupport();

    private static TicketMessage Message(ClaimsPrincipal caller, string text, TimeProvider clock) => new(
        caller.IsInRole(Roles.Support) ? TicketAuthor.Support : TicketAuthor.User, caller.SubjectId()!, text.Trim(), clock.GetUtcNow());
}

public sealed record OpenTicketRequest(
    [property: Required, StringLength(200, MinimumLength = 1), PlainText] string Subject,
    [property: Required, StringLength(ITicketGrain.MaxMessageCharacters, MinimumLength = 1), PlainText(Multiline = true)] string Message);

public sealed record AddTicketMessageRequest([property: Required, StringLength(ITicketGrain.MaxMessageCharacters, MinimumLength = 1), PlainText(Multiline = true)] string Message);

public sealed record TicketOpened(string TicketId);
