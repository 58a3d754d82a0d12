using MeiLing.Grains.Access;

namespace MeiLing.Grains.Staff;

/// <summary>
/// A staff member, keyed by staff id (<c>stf_…</c>): the platform's (support or operator) or a merchant's
/// (manager or cashier), each with their own API key through the one key mechanism (<see cref="IApiKeyGrain"/>).
/// </summary>
// Version 1 adds OffboardBy: a call reaching an activation on a silo of the release before moves it to one that has it.
// Version 2 adds TakePhoneLookupCountingMiss and GiveBackPhoneLookupMiss, alike.
[Alias("meiling.staff"), Orleans.CodeGeneration.Version(2)]
public interface IStaffGrain : IGrainWithStringKey
{
    /// <summary>Enrols the staff member and issues their API key; once only (409 after).</summary>
    [Alias("enrol")]
    Task<IssuedKey> Enrol(EnrolStaff command);

    /// <summary>
    /// Ends the staff member's access: their API key stops authenticating at once. The record stays, as
    /// who they were and when they left. Doing it again changes nothing; null when unknown.
    /// </summary>
    [Alias("offboard")]
    Task<StaffView?> Offboard();

    /// <summary>As <see cref="Offboard"/>, naming who did it: a merchant's manager (null: the merchant key, or the platform's staff, audited apart).</summary>
    [Alias("offboard-by")]
    Task<StaffView?> OffboardBy(string? offboardedBy);

    /// <summary>
    /// Counts a member-card top-up made with this member's key against their daily limit, before any money is put on the
    /// card. Only a cashier's are limited: past the limit it is 403 <c>top-up-limit</c> and nothing is counted. A retry of
    /// the same operation counts once; the same key with another amount is 409 <c>idempotency-key-reused</c>.
    /// </summary>
    [Alias("take-top-up")]
    Task TakeTopUp(StaffTopUp topUp);

    /// <summary>
    /// Records that the card applied a top-up <see cref="TakeTopUp"/> counted: the same key seen again, once the card has
    /// forgotten it, is 409 <c>idempotency-key-reused</c>, not a retry to apply uncounted.
    /// </summary>
    [Alias("confirm-top-up-applied")]
    Task ConfirmTopUpApplied(StaffTopUp topUp);

    /// <summary>
    /// Gives back a top-up <see cref="TakeTopUp"/> counted and the card never applied, when the card then refused it (the
    /// merchant's day of top-ups spent): a refusal spends none of the cashier's limit. Nothing for one applied already,
    /// one no longer remembered, or a day that has passed.
    /// </summary>
    [Alias("give-back-top-up")]
    Task GiveBackTopUp(StaffTopUp topUp);

    /// <summary>
    /// Sets a cashier's daily top-up limit in fen (null: the platform's default) naming no one: kept for API hosts of the
    /// previous release during a rolling upgrade; <see cref="ChangeTopUpLimit"/> records who. 409 for a manager. Null when unknown.
    /// </summary>
    [Alias("set-top-up-limit")]
    Task<StaffView?> SetTopUpLimit(long? perDayFen);

    /// <summary>
    /// Sets a cashier's daily top-up limit and records who set it and when, shown on the staff member's record; a change to
    /// the limit already in force writes nothing. 409 <c>not-a-cashier</c> for anyone else. Null when unknown.
    /// </summary>
    [Alias("change-top-up-limit")]
    Task<StaffView?> ChangeTopUpLimit(TopUpLimitChange change);

    /// <summary>
    /// Counts a data-rights request this support agent files for any user against their daily allowance
    /// (P1.7, P4.4), before anything is filed or texted: past it 429 <c>quota-exceeded</c> with when to retry;
    /// 403 <c>not-support-staff</c> for anyone but a current support agent.
    /// </summary>
    [Alias("take-support-filing")]
    Task TakeSupportFiling();

    /// <summary>
    /// Gives back the newest filing <see cref="TakeSupportFiling"/> counted, when the user's grain then refused the filing
    /// and nothing was filed (a request of that type still open, the account closing): a refusal spends none of the
    /// agent's allowance. Nothing for anyone but a support agent, nor when nothing was counted today.
    /// </summary>
    [Alias("give-back-support-filing")]
    Task GiveBackSupportFiling();

    /// <summary>
    /// Counts a ticket this support agent opens for any user against their daily allowance (P1.7, P4.4), before the
    /// user's grain counts it: past it 429 <c>quota-exceeded</c> with when to retry; 403 <c>not-support-staff</c> for
    /// anyone but a current support agent.
    /// </summary>
    [Alias("take-support-ticket-opening")]
    Task TakeSupportTicketOpening();

    /// <summary>Gives back the newest opening <see cref="TakeSupportTicketOpening"/> counted, when the user's grain then refused the ticket.</summary>
    [Alias("give-back-support-ticket-opening")]
    Task GiveBackSupportTicketOpening();

    /// <summary>
    /// Counts a look-up of a user by mobile number by this support agent against their daily allowance
    /// (P1.7, P4.4), before the phone index is asked: past it 429 <c>quota-exceeded</c> with when to retry;
    /// 403 <c>not-support-staff</c> for anyone but a current support agent. Kept for silos of the previous release
    /// during a rolling upgrade: <see cref="TakePhoneLookupCountingMiss"/> counts the miss in the same turn.
    /// </summary>
    [Alias("take-phone-lookup")]
    Task TakePhoneLookup();

    /// <summary>
    /// Counts a look-up by mobile number that found no user (P1.7): past the day's allowance of misses
    /// (<c>MEILING_SUPPORT_PHONE_LOOKUP_MISSES_PER_DAY</c>) <see cref="TakePhoneLookup"/> refuses every look-up, found or not,
    /// so the find box cannot confirm guesses of a masked number's hidden digits. Nothing for anyone but a support agent.
    /// Kept for silos of the previous release during a rolling upgrade.
    /// </summary>
    [Alias("count-phone-lookup-miss")]
    Task CountPhoneLookupMiss();

    /// <summary>
    /// As <see cref="TakePhoneLookup"/>, and in the same turn counts the look-up as a miss (P1.7, P4.4), before the phone
    /// index is asked: past the day's misses (<c>MEILING_SUPPORT_PHONE_LOOKUP_MISSES_PER_DAY</c>) or look-ups it is 429
    /// <c>quota-exceeded</c>, found or not, and nothing is counted. Returns when the miss was counted, for
    /// <see cref="GiveBackPhoneLookupMiss"/> once the look-up found a user. Checked before and counted after, concurrent
    /// look-ups each found a miss left and were all answered "no user" past the day's allowance (*reviewer*).
    /// </summary>
    [Alias("take-phone-lookup-counting-miss")]
    Task<DateTimeOffset> TakePhoneLookupCountingMiss();

    /// <summary>
    /// Gives back the miss <see cref="TakePhoneLookupCountingMiss"/> counted at <paramref name="countedAt"/>, the look-up
    /// having found a user; nothing when no such miss is counted (it left the day's window).
    /// </summary>
    [Alias("give-back-phone-lookup-miss")]
    Task GiveBackPhoneLookupMiss(DateTimeOffset countedAt);

    /// <summary>The staff member, or null when unknown.</summary>
    [Alias("get")]
    [ReadOnly]
    Task<StaffView?> Get();
}
