using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Privacy.Encryption;
using MeiLing.Grains.Reports;
using MeiLing.Grains.Staff;
using MeiLing.Grains.Users;
using Microsoft.Extensions.Logging;

namespace MeiLing.Grains.MemberCards;

internal sealed partial class MemberCardGrain(
    [PersistentState("member-card", StorageNames.Default)] IPersistentState<MemberCardState> state,
    MemberCardIndexStore cards,
    MemberCardSettlements settlements,
    SiloFacts facts,
    TakingsLedger takings,
    TimeProvider clock,
    ILogger<MemberCardGrain> logger) : Grain, IMemberCardGrain
{
    /// <summary>The refusal of a draw the balance does not cover (the order checks it too, before a member code is texted or spent).</summary>
    internal static DomainException InsufficientBalance() =>
        DomainException.Conflict("insufficient-balance", "The member card's balance is short of this amount; nothing was drawn.");

    private static DomainException BeingHandedOver() =>
        DomainException.Conflict("card-being-handed-over", "This member card is moving to the business's successor, balance and all; it takes and gives nothing meanwhile.");

    public const long MaxOperationFen = 100_000_000;

    internal const string IdempotencyKeyReused = "idempotency-key-reused";

    private readonly AbsentRecordLinger _absent = new();

    // P4.4: a till names any user id (a top-up for a made-up one is refused by the user's gate, here): a card that has
    // no record leaves memory in seconds, not after the idle age. A card being topped up has its record by then.
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _absent.Start(this, () => state.RecordExists);
        return Task.CompletedTask;
    }

    Task<long> IMemberCardGrain.GetBalance() => Task.FromResult(state.State.BalanceFen);

    // What a merchant's read hands over: the balance, which A.2 counts as sensitive property information.
    private static readonly string[] BalanceFields = ["balanceFen"];

    // P3.1, P5.1, A.2: a card's balance read by its merchant is the user's data handed over, as an order read is. Answered
    // without the gate, a merchant refused the orders of a child whose guardian withdrew, or of an account closing, still read
    // the card's balance. Recorded as the order read records it (Disclose: the gate records the same hand-over once a day,
    // however often the till reads, RecentDisclosures), and refused as it is: 403, which a merchant hears as
    // processing-refused (A.2). A user id with no card here asks nothing: 0 tells the merchant nothing of them, and a
    // refusal would tell it the account is closing. GetBalance stays ungated: the order's own short-card check reads it.
    async Task<long> IMemberCardGrain.GetBalanceForMerchant()
    {
        if (state.RecordExists)
        {
            var merchant = await facts.MerchantAsync(MerchantId)
                ?? throw DomainException.NotFound("merchant-not-found", "No such merchant.");
            await GrainFactory.GetResolvedGrain<IUserConsentGate>(UserId).Disclose(new DisclosureRequest(
                MerchantId, RecipientKind.Merchant, BalanceFields, "member-card", null, LawfulBasis.ContractNecessity, merchant.Region));
        }

        return state.State.BalanceFen;
    }

    // A card being handed over owes nothing here: its balance is the successor's to settle (*reviewer*). Refused rather than
    // answered, so an erasure does not tell this merchant of a settlement it never makes; it runs again once the card moved.
    Task<MemberCardDue> IMemberCardGrain.GetSettlementDue()
    {
        RefuseWhileHandingOver();
        return Task.FromResult(new MemberCardDue(state.State.BalanceFen, state.State.Life, state.RecordExists));
    }

    Task<string?> IMemberCardGrain.ExportPersonalData() =>
        Task.FromResult(state.RecordExists
            ? PersonalDataExporter.Export(new MemberCardExport(MerchantId), state.State).ToJsonString()
            : null);

    // An API host of the previous release does not say who made the top-up: its row names no one.
    Task<long> IMemberCardGrain.TopUp(string operationId, long amountFen) => TopUpAsync(operationId, amountFen, takenBy: null, staffId: null);

    // A retry across the deploy that scoped top-up ids by caller (*reviewer*): a top-up applied under the previous release's
    // id is that same top-up, not a new one. Only ids recorded before it match so: every new one is scoped.
    Task<long> IMemberCardGrain.TopUpBy(MemberCardTopUp topUp) =>
        TopUpAsync(
            topUp.PreviousOperationId is { } previous && !state.State.Applied.Exists(op => op.OperationId == topUp.OperationId)
                && state.State.Applied.Exists(op => op.OperationId == previous && op.DeltaFen == topUp.AmountFen) ? previous : topUp.OperationId,
            topUp.AmountFen, TakingsLedger.TakenBy(topUp.StaffId), topUp.StaffId);

    private async Task<long> TopUpAsync(string operationId, long amountFen, string? takenBy, string? staffId)
    {
        CheckAmount(amountFen);
        if (state.State.ResultOf(operationId, amountFen) is { } done)
        {
            if (staffId is not null && await facts.MerchantAsync(MerchantId) is { } known)
            {
                // The retry sends the confirmation again, which a failure may have lost; confirming twice changes nothing.
                await ConfirmAppliedAsync(staffId, CountedAs(operationId, amountFen, known));
            }

            return done;
        }

        RefuseWhileHandingOver();

        // P4.3: a merchant serving its notice settles its cards at the end; it takes no new money meanwhile.
        var merchant = await facts.MerchantAsync(MerchantId)
            ?? throw DomainException.NotFound("merchant-not-found", "No such merchant.");
        if (merchant.Status != MerchantStatus.Active)
        {
            throw DomainException.Conflict("merchant-closing", "This merchant is closing and takes no member-card top-ups.");
        }

        // P6.1, P4.1, P4.2: money put on a user's card is processing of their data, through the one gate. A first top-up
        // passes it in the user's turn with the card's index row, so a cancellation finds the card (P3.1).
        var processing = ProcessingRequest.Under("member-card-top-up", LawfulBasis.ContractNecessity).In(merchant.Region);
        if (state.RecordExists)
        {
            await GrainFactory.GetGrain<IUserConsentGate>(UserId).AuthorizeProcessing(processing);
            await ApplyTopUpAsync(operationId, amountFen, takenBy, staffId, merchant);
            return state.State.BalanceFen;
        }

        await GrainFactory.GetGrain<IUserCardOpener>(UserId).OpenMemberCard(MerchantId, processing);
        try
        {
            await ApplyTopUpAsync(operationId, amountFen, takenBy, staffId, merchant);
        }
        catch when (!state.RecordExists)
        {
            // A first top-up refused after its card was listed (a cashier past their limit) opened no card: listed, the user
            // would be handed over with the business, told of its closing, and its merchant told of their requests.
            await cards.RemoveAsync(MerchantId, UserId);
            throw;
        }

        return state.State.BalanceFen;
    }

    private async Task ApplyTopUpAsync(string operationId, long amountFen, string? takenBy, string? staffId, MerchantView merchant)
    {
        var now = clock.GetUtcNow();
        StaffTopUp? counted = null;
        if (staffId is not null)
        {
            // P1.6: a cashier's top-ups count against their daily limit before any money is on the card (403 past it).
            // The staff grain knows the operation under this card's key: an Idempotency-Key is one top-up of one card,
            // so the same key sent to another card is a new top-up there and must be counted, not taken for a retry.
            counted = CountedAs(operationId, amountFen, merchant);
            await GrainFactory.GetGrain<IStaffGrain>(staffId).TakeTopUp(counted);
        }

        // P4.4: one of the merchant's day of top-ups, the key's own limit first (a cashier past theirs spends none of the
        // shop's) and before the card and its takings row are written (a first top-up's listing, written before, is removed
        // on refusal; a retry under its key, answered from the state, takes none): each top-up writes a takings row kept
        // for good, and 1-fen top-ups in a loop had no other bound.
        try
        {
            await GrainFactory.TakeWhereKnownAsync(DailyAllowanceKind.TopUpsByMerchant, MerchantId);
        }
        catch (DomainException) when (counted is not null)
        {
            // Nothing goes on the card: the cashier's limit gets back what it counted, so the shop's full day does not
            // spend theirs too. Failing that, it stays counted, as a top-up whose card write failed does.
            await GiveBackAsync(staffId!, counted);
            throw;
        }

        // P1.6: a top-up is money the merchant says it took, as a marked payment is: it goes into the merchant's takings,
        // so a cashier topping up a card for nothing leaves the till short of the day's report, which names the staff member.
        // The row joins the card's state write in one unit: both are durable or neither, so a replay under the same key
        // (answered above from the state) never needs to write it again.
        state.State.Apply(UserId, operationId, amountFen);
        await WriteOrForgetAsync(() => takings.WriteTopUpWithStateAsync(MerchantId, amountFen, now, takenBy, state.WriteStateAsync));
        if (counted is not null)
        {
            await ConfirmAppliedAsync(staffId!, counted);
        }
    }

    // The staff grain knows the operation under this card's key, on the merchant's calendar day, by a name that does not
    // name the member (CountedOperations, A.2, P4.1).
    private StaffTopUp CountedAs(string operationId, long amountFen, MerchantView merchant) =>
        new(MerchantId, CountedOperations.Of(this.GetPrimaryKeyString(), operationId), amountFen,
            MerchantTimeZones.DayOf(MerchantTimeZones.Find(merchant.TimeZone), clock.GetUtcNow()));

    // P1.6: applied now; once this card has forgotten the key (its last 1,000 operations), a replay is refused by the
    // staff grain instead of applied again uncounted. The money is on the card whatever happens here, so a failure is
    // logged, not answered: a 500 would have the cashier top up again under a new key. Lost, the confirmation leaves the
    // replay counted as a retry (the behaviour before it), never as a new top-up past the limit.
    private async Task ConfirmAppliedAsync(string staffId, StaffTopUp counted)
    {
        try
        {
            await GrainFactory.GetGrain<IStaffGrain>(staffId).ConfirmTopUpApplied(counted);
        }
        catch (Exception unconfirmed)
        {
            LogTopUpNotConfirmed(unconfirmed);
        }
    }

    private async Task GiveBackAsync(string staffId, StaffTopUp counted)
    {
        try
        {
            await GrainFactory.GetGrain<IStaffGrain>(staffId).GiveBackTopUp(counted);
        }
        catch (Exception kept)
        {
            LogTopUpNotGivenBack(kept);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A member card at {MerchantId} handed to {SuccessorMerchantId} found the successor had taken its hand-over for another amount than {AmountFen} fen; cleared, the successor holding what moved")]
    private partial void LogHandOverTakenForAnotherAmount(string merchantId, string successorMerchantId, long amountFen);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A cashier's refused top-up was not given back to their daily limit")]
    private partial void LogTopUpNotGivenBack(Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A cashier's top-up was applied but not confirmed to their staff record")]
    private partial void LogTopUpNotConfirmed(Exception error);

    async Task<long> IMemberCardGrain.SettleAndErase()
    {
        var merchant = await GrainFactory.GetGrain<IMerchantGrain>(MerchantId).Get();
        return await SettleAndEraseAsync(merchant is { Status: MerchantStatus.Active } ? CardSettlementCause.AccountCancelled : CardSettlementCause.MerchantClosed);
    }

    // Told by the caller: read from the merchant's status, an objector's card at a merchant still active was recorded as
    // settled by the user's account cancellation.
    Task<long> IMemberCardGrain.SettleAndEraseBecause(CardSettlementCause cause) => SettleAndEraseAsync(cause);

    private async Task<long> SettleAndEraseAsync(CardSettlementCause cause)
    {
        // Settled here as well as moved, the balance would be owed back twice (*reviewer*): the erasure waits for the move.
        RefuseWhileHandingOver();
        var settled = state.State.BalanceFen;
        if (state.RecordExists)
        {
            if (settled > 0)
            {
                // The balance is the user's money: recorded as owed back (and the merchant told) before the card goes.
                await settlements.RecordAsync(MerchantId, UserId, settled, MemberCardSettlements.NameOf(cause), state.State.Life);
            }

            await state.ClearStateAsync();
        }

        await cards.RemoveAsync(MerchantId, UserId);
        return settled;
    }

    // P3.2 (*reviewer*): the move is marked on this card first, durably, with the amount it moves; the successor's credit
    // and every retry of it are that amount under the one operation id, which the successor answers as done. Until the card
    // is cleared it takes and gives nothing. Before, a clear that failed after the successor's credit left the balance
    // spendable here too (the money twice), and the retry's credit of what was left, another amount under the same id, was
    // refused as a reused key on every pass: the transfer never completed, and neither merchant could close.
    async Task<long> IMemberCardGrain.HandOverToSuccessor(string successorMerchantId, string operationId)
    {
        if (state.RecordExists)
        {
            if (state.State.HandingOver is null)
            {
                state.State.HandingOver = new MemberCardState.CardHandOver
                {
                    SuccessorMerchantId = successorMerchantId,
                    OperationId = operationId,
                    AmountFen = state.State.BalanceFen,
                };
                await WriteOrForgetAsync(state.WriteStateAsync);
            }

            // One transfer at a time holds the merchant, so another one's move of this card is not expected: refused, not
            // mixed with the move under way.
            var moving = state.State.HandingOver!;
            if (moving.OperationId != operationId || moving.SuccessorMerchantId != successorMerchantId)
            {
                throw BeingHandedOver();
            }

            // The successor's card first: an interruption after it leaves this card marked, to move again, taken once.
            try
            {
                await GrainFactory.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(moving.SuccessorMerchantId, UserId)).TakeOver(moving.OperationId, moving.AmountFen);
            }
            catch (DomainException taken) when (taken.Code == IdempotencyKeyReused)
            {
                // The successor took this card's hand-over already, for another amount: a move interrupted before the card was
                // marked (a release before this one), the card used since (*reviewer*). The successor holds what moved; this
                // card is cleared rather than marked for good, which refused the user's money and their account's erasure.
                LogHandOverTakenForAnotherAmount(MerchantId, moving.SuccessorMerchantId, moving.AmountFen);
            }

            await WriteOrForgetAsync(state.ClearStateAsync);
            await cards.RemoveAsync(MerchantId, UserId);
            return moving.AmountFen;
        }

        // Nothing here (none opened, or moved and cleared before this retry): nothing to move, and the listing follows.
        await cards.RemoveAsync(MerchantId, UserId);
        return 0;
    }

    async Task<long> IMemberCardGrain.TakeOver(string operationId, long balanceFen)
    {
        if (state.State.ResultOf(operationId, balanceFen) is { } done)
        {
            return done;
        }

        // P3.2 (*reviewer*): a hand-over retried after this card forgot it among its last 1,000 operations is still taken once.
        if (state.State.HandOversTaken.Contains(operationId))
        {
            return state.State.BalanceFen;
        }

        RefuseWhileHandingOver();
        if (!state.RecordExists)
        {
            // The successor's card, listed so that the user's erasure finds and settles it.
            await cards.AddAsync(MerchantId, UserId);
        }

        state.State.Apply(UserId, operationId, balanceFen);
        state.State.HandOversTaken.Add(operationId);
        await WriteOrForgetAsync(state.WriteStateAsync);
        return state.State.BalanceFen;
    }

    async Task<long> IMemberCardGrain.Debit(string operationId, long amountFen)
    {
        CheckAmount(amountFen);
        if (state.State.ResultOf(operationId, -amountFen) is { } done)
        {
            return done;
        }

        RefuseWhileHandingOver();
        if (state.State.BalanceFen < amountFen)
        {
            throw InsufficientBalance();
        }

        state.State.Apply(UserId, operationId, -amountFen);
        await WriteOrForgetAsync(state.WriteStateAsync);
        return state.State.BalanceFen;
    }

    async Task<long> IMemberCardGrain.Credit(string operationId, long amountFen)
    {
        CheckAmount(amountFen);
        if (state.State.ResultOf(operationId, amountFen) is { } done)
        {
            return done;
        }

        // A refund taken now would be cleared with the card after only the marked amount moved (*reviewer*): lost.
        RefuseWhileHandingOver();
        if (!state.RecordExists)
        {
            // P4.1: a refund onto a card that has no record (settled meanwhile, or a successor's card not yet taken over)
            // opens one; unindexed, neither the user's erasure nor the merchant's termination would find and settle it.
            await cards.AddAsync(MerchantId, UserId);
        }

        state.State.Apply(UserId, operationId, amountFen);
        await WriteOrForgetAsync(state.WriteStateAsync);
        return state.State.BalanceFen;
    }

    // *reviewer*: a change whose write failed stayed in memory: the balance read it, a retry under the same operation id was
    // answered from it, and the next write made it durable (a top-up spendable with no takings row). Memory goes back to
    // what is stored; one that cannot be read back leaves with the activation, the next reading it afresh.
    private Task WriteOrForgetAsync(Func<Task> write) => state.WriteOrForgetAsync(this, write);

    // P3.2 (*reviewer*): a card marked as moving to a successor keeps the amount marked until it is cleared. Money drawn from
    // it or put on it meanwhile would be spent twice (the successor holds it too) or lost with the clear.
    private void RefuseWhileHandingOver()
    {
        if (state.State.HandingOver is not null)
        {
            throw BeingHandedOver();
        }
    }

    private string MerchantId => this.GetPrimaryKeyString()[..this.GetPrimaryKeyString().IndexOf('/', StringComparison.Ordinal)];

    private string UserId => this.GetPrimaryKeyString()[(this.GetPrimaryKeyString().IndexOf('/', StringComparison.Ordinal) + 1)..];

    private static void CheckAmount(long amountFen)
    {
        if (amountFen is < 1 or > MaxOperationFen)
        {
            throw DomainException.InvalidField("amountFen", "invalid-amount", $"Amounts are 1 to {MaxOperationFen} fen.");
        }
    }
}

/// <summary>Persisted state of a member card: the balance and the operations already applied (P1.6).</summary>
[HoldsPersonalData]
public sealed class MemberCardState : IOwnedByUser
{
    [NotPersonalData]
    public string UserId { get; set; } = "";

    string? IOwnedByUser.OwnerUserId => UserId.Length == 0 ? null : UserId;

    private const int OperationsRemembered = 1000;

    // A.2: property information is sensitive.
    [PersonalData(DataCategory.Property, Sensitive = true)]
    public long BalanceFen { get; set; }

    /// <summary>
    /// This life of the card, from its first money to its settlement: a card settled (a transfer objected to) and opened
    /// again at the same merchant is settled again under a name of its own. Null for a card opened before it was kept,
    /// until its next operation.
    /// </summary>
    [NotPersonalData]
    public string? Life { get; set; }

    /// <summary>Recent operation ids and the balance each left, so a retried operation is not applied twice.</summary>
    [PersonalData(DataCategory.Property, Sensitive = true)]
    public List<AppliedOperation> Applied { get; set; } = [];

    /// <summary>
    /// Set while the card moves to a business's successor (P3.2): the amount moving, fixed before the successor is credited,
    /// and credited under its operation id on every retry. The card takes and gives nothing until it is cleared.
    /// </summary>
    [PersonalData(DataCategory.Property, Sensitive = true)]
    public CardHandOver? HandingOver { get; set; }

    /// <summary>
    /// The operation ids of the hand-overs this card took (P3.2), kept when <see cref="Applied"/> forgets them: a retry
    /// after a thousand operations is still the one hand-over. One a transfer into the merchant, so the list stays short.
    /// </summary>
    [PersonalData(DataCategory.Property, Sensitive = true)]
    public List<string> HandOversTaken { get; set; } = [];

    /// <summary>
    /// The balance a retried operation left, or null when it is new. An operation id (an Idempotency-Key)
    /// sent again with another amount is a different request under a used key: refused, not replayed.
    /// </summary>
    public long? ResultOf(string operationId, long deltaFen) =>
        Applied.Find(op => op.OperationId == operationId) switch
        {
            null => null,
            { DeltaFen: var applied } when applied != deltaFen => throw DomainException.Conflict(
                MemberCardGrain.IdempotencyKeyReused, "This Idempotency-Key was used for another amount; use a new key for a new operation."),
            var done => done.BalanceAfterFen,
        };

    public void Apply(string userId, string operationId, long deltaFen)
    {
        UserId = userId;
        Life ??= Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        BalanceFen += deltaFen;
        Applied.Add(new AppliedOperation { OperationId = operationId, DeltaFen = deltaFen, BalanceAfterFen = BalanceFen });
        if (Applied.Count > OperationsRemembered)
        {
            Applied.RemoveRange(0, Applied.Count - OperationsRemembered);
        }
    }

    public sealed class CardHandOver
    {
        public string SuccessorMerchantId { get; set; } = "";

        public string OperationId { get; set; } = "";

        public long AmountFen { get; set; }
    }

    public sealed class AppliedOperation
    {
        public string OperationId { get; set; } = "";

        public long DeltaFen { get; set; }

        public long BalanceAfterFen { get; set; }
    }
}
