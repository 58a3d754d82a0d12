using MeiLing.Grains.Merchants;
using MeiLing.Grains.Transfers;

namespace MeiLing.Grains.DataRights;

/// <summary>The recipients of data-rights requests: their confirmations, and support's list of those that never confirmed.</summary>
[Alias("meiling.request-recipients")]
public interface IRequestRecipientsGrain : IGrainWithIntegerKey
{
    /// <summary>How long after notice a recipient has to confirm before support sees the request listed.</summary>
    public static readonly TimeSpan ConfirmWithin = TimeSpan.FromDays(15);

    /// <summary>The merchant confirms it acted on the request (or the consent receipt); null when it is not one of its recipients.</summary>
    [Alias("confirm")]
    Task<RequestRecipient?> Confirm(string requestId, string merchantId);

    /// <summary>
    /// The merchant confirms it acted on a notice it received: delivered to it, or answered by its endpoint (an error
    /// included); <paramref name="eventId"/>, when named, must be the notice's <c>webhook-id</c>. Null when it is not one of
    /// the cause's recipients; a conflict (<c>notice-not-delivered</c>) when nothing reached it. For causes whose id the
    /// merchant knows without the notice (a transfer objection's: the transfer and its own customer's id), so that it
    /// cannot confirm an erasure it never heard of (P3.1, P3.2).
    /// </summary>
    [Alias("confirm-received")]
    Task<RequestRecipient?> ConfirmReceived(string causeId, string merchantId, string? eventId);

    /// <summary>The parties told of a request, or of a consent withdrawn directly (by its receipt id), and how each notice went.</summary>
    [Alias("of")]
    Task<IReadOnlyList<RequestRecipient>> Of(string causeId);

    /// <summary>
    /// A payment or delivery partner confirms it acted on the request (or the consent receipt), on its own signed word;
    /// null when that partner is not one of its recipients.
    /// </summary>
    [Alias("confirm-as-partner")]
    Task<RequestRecipient?> ConfirmAsPartner(string causeId, string partner);

    /// <summary>
    /// Support sends a recipient's notice again once its retries ran out: the same event (same id, same body), due now,
    /// with a fresh set of retries. Null when it is not a recipient of the cause; a conflict when it is not <c>failed</c>
    /// (on its way, told or confirmed) or its notice has left the outbox.
    /// </summary>
    [Alias("redeliver")]
    Task<RequestRecipient?> Redeliver(string causeId, string recipient);

    /// <summary>The parties told of each of these causes (requests or receipts), in one look; a cause no one was told of is left out.</summary>
    [Alias("of-each")]
    Task<IReadOnlyDictionary<string, IReadOnlyList<RequestRecipient>>> OfEach(IReadOnlyList<string> causeIds);

    /// <summary>How far support's count of failed withdrawal notices goes: past it, the count says "at least".</summary>
    public const int FailedWithdrawalsCounted = 1000;

    /// <summary>The most failed withdrawal notices one look returns.</summary>
    public const int MaxFailedWithdrawals = 100;

    /// <summary>
    /// Support's list of the parties told of a consent withdrawn directly whose retries ran out (P1.10, P3.1), the oldest
    /// failure first, with each withdrawal's receipt: at most <paramref name="limit"/> (up to <see cref="MaxFailedWithdrawals"/>),
    /// and their number, counted up to <see cref="FailedWithdrawalsCounted"/>.
    /// </summary>
    [Alias("failed-withdrawals")]
    Task<FailedWithdrawalNotices> FailedWithdrawals(int limit);

    /// <summary>A page of requests with a recipient still unconfirmed 15 days after notice (or after being listed, when never told).</summary>
    [Alias("unconfirmed")]
    Task<DataRightsRequestPage> Unconfirmed(string? cursor, int limit);

    /// <summary>
    /// A page of business-transfer objections whose erasure notice to the merchant is still unconfirmed 15 days after
    /// notice, or failed for good (P3.2, P8.1): support's to chase as a request's are. The cursor is the last page's cause.
    /// </summary>
    [Alias("unconfirmed-objections")]
    Task<TransferObjectionNoticePage> UnconfirmedObjections(string? cursor, int limit);

    /// <summary>
    /// A page of consents withdrawn directly with a party unconfirmed 15 days after notice, or whose notice failed for
    /// good (P1.10, P3.1, P8.1): support's to chase as a request's and an objection's are (a failed one alone was listed
    /// before, a party that took the notice and never said it stopped was chased by no one). The cursor is the last
    /// page's receipt id. New in this release: a silo of the previous one does not know it.
    /// </summary>
    [Alias("unconfirmed-withdrawals")]
    Task<WithdrawalNoticePage> UnconfirmedWithdrawals(string? cursor, int limit);

    /// <summary>
    /// A page of orders a closing merchant erased whose notice to a payment or delivery partner is unconfirmed 15 days after
    /// notice, or failed for good (P3.1, P4.3, P8.1): support's to chase as a request's are. The cursor is the last page's
    /// closure cause. New in this release: a silo of the previous one does not know it.
    /// </summary>
    [Alias("unconfirmed-closures")]
    Task<ClosureNoticePage> UnconfirmedClosures(string? cursor, int limit);

    /// <summary>
    /// A page of <paramref name="userId"/>'s orders a closing merchant erased and told their partners of, with how each
    /// notice went, by order. The cursor is the last page's closure cause. New in this release.
    /// </summary>
    [Alias("closures-of")]
    Task<ClosureNoticePage> ClosuresOf(string userId, string? cursor, int limit);

    /// <summary>
    /// Support sends a partner its closure notice of <paramref name="orderId"/> again, as <see cref="Redeliver"/> does; null
    /// when the order is not <paramref name="userId"/>'s or the partner is not one of its recipients. New in this release.
    /// </summary>
    [Alias("redeliver-closure")]
    Task<RequestRecipient?> RedeliverClosure(string userId, string orderId, string recipient);
}
