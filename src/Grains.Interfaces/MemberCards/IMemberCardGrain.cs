namespace MeiLing.Grains.MemberCards;

/// <summary>
/// A user's stored-value card at one merchant (会员卡, P1.6), keyed <c>{merchantId}/{userId}</c>.
/// Debits and credits carry an operation id and are applied once each, however often they are retried.
/// </summary>
[Alias("meiling.member-card")]
public interface IMemberCardGrain : IGrainWithStringKey
{
    public static string KeyOf(string merchantId, string userId) => $"{merchantId}/{userId}";

    /// <summary>The balance, for the platform's own checks: asks no gate and records nothing. A merchant reads <see cref="GetBalanceForMerchant"/>.</summary>
    [Alias("balance")]
    [ReadOnly]
    Task<long> GetBalance();

    /// <summary>
    /// The balance as the card's merchant reads it (P3.1): a card that exists is the user's data handed to the merchant, so
    /// the user's gate is asked and the read recorded as an order read is; 403 while it refuses (the account closing, a
    /// guardian's withdrawal). 0 without a card, asking nothing.
    /// </summary>
    [Alias("balance-for-merchant")]
    [ReadOnly]
    Task<long> GetBalanceForMerchant();

    /// <summary>The card as its user's access bundle shows it, driven by the data-category tags; null when none.</summary>
    [Alias("export-personal-data")]
    [ReadOnly]
    Task<string?> ExportPersonalData();

    /// <summary>
    /// Adds to the balance; returns the new balance. Names no one who made it: kept for API hosts of the previous
    /// release, whose top-ups count in the day's report but in no staff member's share of it. New callers use <see cref="TopUpBy"/>.
    /// </summary>
    [Alias("top-up")]
    Task<long> TopUp(string operationId, long amountFen);

    /// <summary>Adds to the balance, recording in the merchant's takings who at the till made the top-up; returns the new balance.</summary>
    [Alias("top-up-by")]
    Task<long> TopUpBy(MemberCardTopUp topUp);

    /// <summary>Draws from the balance; 409 <c>insufficient-balance</c> with the balance untouched when short.</summary>
    [Alias("debit")]
    Task<long> Debit(string operationId, long amountFen);

    /// <summary>What settling the card would owe now, and the life it would settle (the settlement's and event's name).</summary>
    [Alias("settlement-due")]
    [ReadOnly]
    Task<MemberCardDue> GetSettlementDue();

    /// <summary>
    /// Settles the card and erases it: a balance left is recorded as owed back to the user (a settlement for the
    /// merchant's accounts, and a <c>member_card.settled</c> event), never zeroed; returns the balance settled.
    /// </summary>
    /// <remarks>The cause is read from the merchant's status (closing or not); an API host or silo of an older release calls this.</remarks>
    [Alias("settle-and-erase")]
    Task<long> SettleAndErase();

    /// <summary>As <see cref="SettleAndErase"/>, the settlement recorded under the <paramref name="cause"/> its caller knows.</summary>
    [Alias("settle-and-erase-because")]
    Task<long> SettleAndEraseBecause(CardSettlementCause cause);

    /// <summary>
    /// A business transfer (P3.2): the card, balance and all, moves to the same user's card at the successor, and
    /// this one is erased. Idempotent under <paramref name="operationId"/>; returns the balance moved.
    /// </summary>
    [Alias("hand-over-to-successor")]
    Task<long> HandOverToSuccessor(string successorMerchantId, string operationId);

    /// <summary>The successor's side of <see cref="HandOverToSuccessor"/>: takes the card's balance once per <paramref name="operationId"/>.</summary>
    [Alias("take-over")]
    Task<long> TakeOver(string operationId, long balanceFen);

    /// <summary>Gives a debit back (a refund); returns the new balance.</summary>
    [Alias("credit")]
    Task<long> Credit(string operationId, long amountFen);
}
