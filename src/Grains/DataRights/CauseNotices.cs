using System.Runtime.CompilerServices;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Platform;

namespace MeiLing.Grains.DataRights;

/// <summary>
/// The parties told of one thing the user did outside a request (P8.1, P3.1): a consent withdrawn directly (its receipt
/// id) or a transfer objected to (its objection id), each with its status, as the export shows them; and the partners told
/// of an order a closing merchant erased (its closure cause, <see cref="MerchantClosures"/>).
/// </summary>
internal sealed record CauseNotices(string CauseId, string Cause, IReadOnlyList<RequestRecipient> Recipients)
{
    public const string ConsentWithdrawal = "consent-withdrawal";

    public const string TransferObjection = "transfer-objection";

    public const string MerchantClosure = "merchant-closure";

    /// <summary>Rows read in cause order, one <see cref="CauseNotices"/> per cause.</summary>
    public static async IAsyncEnumerable<CauseNotices> GroupAsync(
        IAsyncEnumerable<(string CauseId, RequestRecipient Recipient)> rows, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cause = null;
        var told = new List<RequestRecipient>();
        await foreach (var (causeId, recipient) in rows.WithCancellation(cancellationToken))
        {
            if (cause is not null && causeId != cause)
            {
                yield return Of(cause, told);
                told = [];
            }

            cause = causeId;
            told.Add(recipient);
        }

        if (cause is not null)
        {
            yield return Of(cause, told);
        }
    }

    private static CauseNotices Of(string causeId, List<RequestRecipient> told) =>
        new(causeId,
            EntityId.IsWellFormed(causeId, EntityId.ObjectionPrefix) ? TransferObjection
            : causeId.StartsWith(MerchantClosures.CausePrefix, StringComparison.Ordinal) ? MerchantClosure
            : ConsentWithdrawal,
            told);
}
