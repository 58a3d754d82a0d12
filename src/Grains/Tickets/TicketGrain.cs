using MeiLing.Grains.Audit;
using MeiLing.Grains.Consents;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Privacy.Encryption;
using MeiLing.Grains.Staff;
using MeiLing.Grains.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeiLing.Grains.Tickets;

internal sealed partial class TicketGrain(
    [PersistentState("ticket", StorageNames.Default)] IPersistentState<TicketState> state,
    UserDataKeys keys,
    UserTicketStore links,
    IOptions<SupportQueueSettings> queueSettings,
    ILogger<TicketGrain> logger) : Grain, ITicketGrain
{
    public const int MaxMessages = 500;

    /// <summary>
    /// The most characters of messages one ticket holds (50 messages at the 2,000 the API takes): every message rewrites
    /// the whole sealed ticket, so without it a session looping on messages grew one state to a megabyte, each write
    /// costing that megabyte again, on ten new tickets a day.
    /// </summary>
    public const int MaxCharacters = 100_000;

    /// <summary>Replies support may still add to a full ticket (each of up to a message's length), so a full ticket is answered.</summary>
    public const int SupportReplyReserve = 5;

    private readonly AbsentRecordLinger _absent = new();

    // Runs while the queue's row may differ from the ticket (its last update failed); null when they agree.
    private IGrainTimer? _queueRetry;

    // A made-up ticket id leaves memory in seconds; a ticket being opened has its record by then.
    // P1.7, P8.1 (*reviewer*): the queue's row is set again from the ticket as it wakes, so a ticket whose update failed
    // in an earlier activation, or that awaited a reply before support's queue existed (migration 0076), is listed once
    // anyone reads it. One indexed UPDATE, which writes nothing when the row already agrees.
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _absent.Start(this, () => state.RecordExists);
        if (state.RecordExists)
        {
            await QueueAsync();
        }
    }

    async Task<TicketView> ITicketGrain.Open(string userId, string subject, TicketMessage first)
    {
        first = AsStored(first);
        if (state.RecordExists)
        {
            throw DomainException.Conflict("ticket-exists", "A ticket with this id already exists.");
        }

        // The user's gate first: it refuses a closing account or an unaccepted policy, and links the ticket
        // before its words are stored, so erasure finds every ticket that exists.
        // A user's own ticket takes the method every release serves, so only support's openings need a user grain
        // of this release while silos roll.
        var userTickets = GrainFactory.GetGrain<IUserTickets>(userId);
        if (first.Author == TicketAuthor.Support)
        {
            await AttachForSupportAsync(userTickets, GrainFactory.GetGrain<IStaffGrain>(first.AuthorId));
        }
        else
        {
            await userTickets.AttachTicket(this.GetPrimaryKeyString());
        }

        state.State.Open(userId, subject, first);
        await state.WriteStateAsync();
        await QueueAsync();
        return state.State.ToView(this.GetPrimaryKeyString());
    }

    // P1.7, P4.4: the agent's day is counted first, across every user: the user's own count of support's tickets held one
    // user to 10 a day, and a support key went from user to user writing tickets into each. A ticket the user's grain
    // then refuses (its count for the day, a closing account) spends none of the agent's.
    private async Task AttachForSupportAsync(IUserTickets userTickets, IStaffGrain agent)
    {
        await agent.TakeSupportTicketOpening();
        try
        {
            await userTickets.AttachTicketOpenedBy(this.GetPrimaryKeyString(), TicketAuthor.Support);
        }
        catch (DomainException)
        {
            // Best effort, as for filings: a staff grain that cannot give it back keeps the count, and the refusal stands.
            try
            {
                await agent.GiveBackSupportTicketOpening();
            }
            catch (Exception failed)
            {
                LogOpeningNotGivenBack(failed.GetType().Name);
            }

            throw;
        }
    }

    // A message's time as the queue's index keeps it (microseconds), so the ticket and support's queue name the same instant.
    private static TicketMessage AsStored(TicketMessage message) => message with { At = PostgresTime.AsStored(message.At) };

    // P1.7 (*reviewer*): support saw a ticket only by opening its user's page: nothing listed what awaited an answer, nor
    // since when. The ticket's place in support's queue follows its state, set after each write and at each activation.
    // A failure does not fail the call (the message stands, and a 500 would have the user write it again): it is retried
    // while the ticket is in memory, kept there for it. P8.1 (*reviewer*): swallowed with nothing retrying it, a ticket
    // left the queue until its user wrote again, and support missed its 15-day deadline.
    private async Task QueueAsync()
    {
        try
        {
            await links.SetAwaitingReplyAsync(state.State.UserId, this.GetPrimaryKeyString(), state.State.AwaitingReplySince());
            _queueRetry?.Dispose();
            _queueRetry = null;
        }
        catch (Exception failed) when (failed is not OperationCanceledException)
        {
            LogQueueNotUpdated(failed.GetType().Name);
            // A turn of its own, not interleaved with the ticket's calls, so it sets what the ticket holds when it runs.
            var every = queueSettings.Value.RetryEvery;
            _queueRetry ??= this.RegisterGrainTimer(RetryQueueAsync, new GrainTimerCreationOptions(every, every) { KeepAlive = true });
        }
    }

    private Task RetryQueueAsync()
    {
        if (!state.RecordExists)
        {
            // Erased meanwhile: the erasure removed the queue's row with the ticket's link.
            _queueRetry?.Dispose();
            _queueRetry = null;
            return Task.CompletedTask;
        }

        return QueueAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A ticket's place in support's queue was not updated ({Failure}); tried again every minute while the ticket is in memory, and as it next wakes")]
    private partial void LogQueueNotUpdated(string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A support agent's ticket opening was not given back after the user's grain refused the ticket ({Failure})")]
    private partial void LogOpeningNotGivenBack(string failure);

    async Task<TicketView> ITicketGrain.AddMessage(TicketMessage message)
    {
        message = AsStored(message);
        if (!state.RecordExists)
        {
            throw DomainException.NotFound("ticket-not-found", "No such ticket.");
        }

        // P1.7 (*reviewer*): support answers a full ticket all the same, from a reserve of its own: refused, the user's last
        // message stayed unanswered and the ticket at the head of support's queue for good.
        var reserve = message.Author == TicketAuthor.Support ? SupportReplyReserve : 0;
        if (!state.State.HasRoomFor(message, MaxMessages + reserve, MaxCharacters + (reserve * ITicketGrain.MaxMessageCharacters)))
        {
            throw DomainException.Conflict("ticket-full",
                $"A ticket holds at most {MaxMessages} messages and {MaxCharacters:N0} characters; this one is full: open a new one.");
        }

        // P6.1, P4.1: a message adds to the user's data, so it passes the user's gate like any processing. P4.4: the gate
        // also counts the user's own messages against their day; support's replies count against the agent's day of
        // audited calls (SupportAuditMiddleware), taken before the call runs.
        var processing = ProcessingRequest.Under("ticket-message", LawfulBasis.ContractNecessity);
        await GrainFactory.GetGrain<IUserConsentGate>(state.State.UserId)
            .AuthorizeProcessing(message.Author == TicketAuthor.User ? processing.AddingUsersTicketMessage() : processing);

        state.State.Messages.Add(message);
        await state.WriteStateAsync();
        await QueueAsync();
        return state.State.ToView(this.GetPrimaryKeyString());
    }

    async Task<bool> ITicketGrain.Erase()
    {
        if (!state.RecordExists)
        {
            return false;
        }

        await state.ClearStateAsync();
        return true;
    }

    async Task<string?> ITicketGrain.ExportPersonalData() =>
        state.RecordExists ? PersonalDataExporter.Export(await ViewForItsUserAsync(), state.State).ToJsonString() : null;

    Task<TicketView?> ITicketGrain.Get() =>
        Task.FromResult(state.RecordExists ? state.State.ToView(this.GetPrimaryKeyString()) : null);

    // The newest messages copied alone: the rest never leave the grain, so a reader of many tickets carries and masks no more than it shows.
    Task<NewestTicketMessages?> ITicketGrain.GetNewest(int messages) =>
        Task.FromResult(state.RecordExists
            ? new NewestTicketMessages(state.State.ToView(this.GetPrimaryKeyString(), messages), state.State.Messages.Count)
            : null);

    async Task<TicketView?> ITicketGrain.GetForItsUser() => state.RecordExists ? await ViewForItsUserAsync() : null;

    private async Task<TicketView> ViewForItsUserAsync()
    {
        var view = state.State.ToView(this.GetPrimaryKeyString());
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        var messages = new List<TicketMessage>(view.Messages.Count);
        foreach (var message in view.Messages)
        {
            if (message.Author == TicketAuthor.Support && !named.ContainsKey(message.AuthorId))
            {
                // No key, no pseudonym (the account is being erased): the agent is then named by role alone.
                named[message.AuthorId] = await StaffPseudonyms.OfAsync(keys, view.UserId, message.AuthorId) ?? RequestActor.SupportRole;
            }

            messages.Add(message.Author == TicketAuthor.Support ? message with { AuthorId = named[message.AuthorId] } : message);
        }

        return view with { Messages = messages };
    }
}

/// <summary>Persisted state of a support ticket: the user's communication record (P1.7).</summary>
[HoldsPersonalData]
public sealed class TicketState : IOwnedByUser
{
    [PersonalData(DataCategory.NetworkIdentifier)]
    public string UserId { get; set; } = "";

    [PersonalData(DataCategory.Basic)]
    public string Subject { get; set; } = "";

    [PersonalData(DataCategory.Basic)]
    public List<TicketMessage> Messages { get; set; } = [];

    public bool HasRoomFor(TicketMessage message, int maxMessages, int maxCharacters) =>
        Messages.Count < maxMessages && Messages.Sum(held => held.Text.Length) + message.Text.Length <= maxCharacters;

    [NotPersonalData]
    public DateTimeOffset OpenedAt { get; set; }

    string? IOwnedByUser.OwnerUserId => UserId.Length == 0 ? null : UserId;

    public void Open(string userId, string subject, TicketMessage first)
    {
        UserId = userId;
        Subject = subject;
        Messages = [first];
        OpenedAt = first.At;
    }

    /// <summary>
    /// P1.7: since when the ticket awaits support: the user's first message after support's last reply (or since it was
    /// opened, if support never replied); null once support has answered, or when support wrote last.
    /// </summary>
    public DateTimeOffset? AwaitingReplySince()
    {
        DateTimeOffset? since = null;
        foreach (var message in Messages)
        {
            since = message.Author == TicketAuthor.Support ? null : since ?? message.At;
        }

        return since;
    }

    public TicketView ToView(string ticketId) => ToView(ticketId, Messages.Count);

    /// <summary>The view with only the newest <paramref name="messages"/> messages; whether it awaits a reply is the whole ticket's.</summary>
    // A copy: the view is serialized after the turn ends, while a next message may be added to the list.
    public TicketView ToView(string ticketId, int messages)
    {
        var awaiting = AwaitingReplySince();
        var newest = Math.Clamp(messages, 0, Messages.Count);
        return new(ticketId, UserId, Subject, Messages.GetRange(Messages.Count - newest, newest), OpenedAt, awaiting, awaiting + ITicketGrain.ReplyWithin);
    }
}
