using MeiLing.Grains.Consents;

namespace MeiLing.Grains.DataRights;

/// <summary>A party told of a consent withdrawn directly whose retries ran out, beside the withdrawal's receipt.</summary>
[GenerateSerializer, Immutable, Alias("meiling.failed-withdrawal-notice")]
public sealed record FailedWithdrawalNotice(
    [property: Id(0)] ConsentReceipt Receipt,
    [property: Id(1)] RequestRecipient Recipient);

/// <summary>
/// The oldest failed withdrawal notices, at most the number asked for, and how many there are in all, counted no
/// further than <see cref="IRequestRecipientsGrain.FailedWithdrawalsCounted"/> (<see cref="TotalCapped"/> then).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.failed-withdrawal-notices")]
public sealed record FailedWithdrawalNotices(
    [property: Id(0)] IReadOnlyList<FailedWithdrawalNotice> Items,
    [property: Id(1)] int Total,
    [property: Id(2)] bool TotalCapped);
