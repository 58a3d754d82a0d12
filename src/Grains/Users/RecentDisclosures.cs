using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;

namespace MeiLing.Grains.Users;

/// <summary>
/// The hand-overs a user grain recorded lately, so that the same hand-over again within a day still passes the
/// disclosure gate (an account being cancelled refuses it at once) but is not recorded again (P4.4): a till polling
/// an order would otherwise grow the user's ledger, and their export, by a row per poll. The same recipient, fields,
/// purpose and basis again add nothing to what the ledger tells the user. Kept by the activation only, as the fast
/// path: the ledger's own insert skips the same hand-over within the day too, across activations
/// (DisclosureLedgerStore.AppendAsync).
/// </summary>
internal sealed class RecentDisclosures
{
    public static readonly TimeSpan RecordedOnceIn = TimeSpan.FromDays(1);

    /// <summary>Distinct hand-overs remembered at most; past it they are forgotten and recorded once more.</summary>
    private const int Capacity = 256;

    private readonly Dictionary<HandOver, DateTimeOffset> _recordedAt = [];

    public bool WasRecordedLately(DisclosureRecord record, DateTimeOffset now) =>
        _recordedAt.TryGetValue(HandOver.Of(record), out var recordedAt) && now - recordedAt < RecordedOnceIn;

    public void Recorded(DisclosureRecord record, DateTimeOffset now)
    {
        if (_recordedAt.Count >= Capacity)
        {
            _recordedAt.Clear();
        }

        _recordedAt[HandOver.Of(record)] = now;
    }

    /// <summary>What makes two hand-overs the same to the ledger: everything it records but the time.</summary>
    private readonly record struct HandOver(
        string Recipient, RecipientKind RecipientKind, string Fields, string Purpose, LawfulBasis Basis,
        string? ConsentReceiptId, string? DocumentReference, string? Note, string? OrderId)
    {
        // The order too: a partner's hand-over for another order is another row, the one its erasure notice names.
        public static HandOver Of(DisclosureRecord record) =>
            new(record.Recipient, record.RecipientKind, string.Join('\u001f', record.Fields), record.Purpose, record.Basis,
                record.ConsentReceiptId, record.DocumentReference, record.Note, record.OrderId);
    }
}
