namespace MeiLing.Grains.DataRights;

/// <summary>
/// A request as the user and support see it; never personal data beyond ids. <see cref="FiledBy"/> is
/// <c>user</c> or <c>support</c>; a support-filed destructive request shows when it was confirmed.
/// <see cref="Recipients"/>: the parties told of the request, and whether each confirmed. <see cref="ChangesDelivery"/>:
/// a correction that rewrites the delivery of the user's unfulfilled orders, which a user confirms, as files, only
/// after a recent sign-in (P4.4, P1.5). <see cref="FollowUpCode"/>: a cancellation's code, in the answers to the user
/// who filed or confirmed it and never in any other view, with which the request and its recipients stay readable
/// once the account is gone (<c>POST /v1/requests/{requestId}/follow-up</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.data-rights-request-view")]
public sealed record DataRightsRequestView(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string UserId,
    [property: Id(2)] DataRightsRequestType Type,
    [property: Id(3)] DataRightsRequestStatus Status,
    [property: Id(4)] DateTimeOffset ReceivedAt,
    [property: Id(5)] DateTimeOffset DueAt,
    [property: Id(6)] DateTimeOffset? CompletedAt,
    [property: Id(7)] RequestProgress? Progress,
    [property: Id(8)] ErasureReceipt? Receipt,
    [property: Id(9)] string? RejectionReason,
    [property: Id(10)] string FiledBy = "user",
    [property: Id(11)] DateTimeOffset? ConfirmedAt = null,
    [property: Id(12)] DateTimeOffset? CancelledAt = null,
    [property: Id(13)] IReadOnlyList<RequestRecipient>? Recipients = null,
    [property: Id(14)] bool ChangesDelivery = false,
    [property: Id(15)] string? FollowUpCode = null,
    [property: Id(16)] RequestDetails? Proposed = null,
    [property: Id(17)] FilingToApprove? Filing = null);

/// <summary>How far a request has come: steps done of steps in all, and the step under way.</summary>
[GenerateSerializer, Immutable, Alias("meiling.request-progress")]
public sealed record RequestProgress(
    [property: Id(0)] int StepsDone,
    [property: Id(1)] int StepsTotal,
    [property: Id(2)] string? CurrentStep);

/// <summary>
/// What an erasure removed: counts per category, no personal data (P4.1); and the member-card balances settled
/// (owed back by the merchants) as one amount.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.erasure-receipt")]
public sealed record ErasureReceipt(
    [property: Id(0)] IReadOnlyDictionary<string, int> Erased,
    [property: Id(1)] bool Verified,
    [property: Id(2)] IReadOnlyList<string> Remaining,
    [property: Id(3)] long MemberCardsSettledFen);
