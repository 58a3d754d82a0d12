using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;

namespace MeiLing.Grains.Users;

/// <summary>
/// Which of the user's consents some party received data under, as far as this activation knows: read from the
/// ledger once, on the first withdrawal, then kept as the user grain records each hand-over (it records them all).
/// A withdrawal of a consent no one received data under then costs no query for recipients it does not have.
/// </summary>
internal sealed class ConsentBasedRecipients(DisclosureLedgerStore ledger, string userId)
{
    private HashSet<ConsentPurpose>? _purposes;

    /// <summary>Whether a withdrawal of <paramref name="purpose"/> may concern a recipient (P1.10, P3.1).</summary>
    public async Task<bool> MayExistAsync(ConsentPurpose purpose)
    {
        _purposes ??= [.. await ledger.PurposesUnderConsentAsync(userId)];
        return _purposes.Contains(purpose);
    }

    /// <summary>A hand-over under a grant of <paramref name="purpose"/> was recorded.</summary>
    public void Recorded(ConsentPurpose purpose) => _purposes?.Add(purpose);
}
