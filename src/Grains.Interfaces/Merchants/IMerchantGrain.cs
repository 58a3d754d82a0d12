using MeiLing.Grains.Access;

namespace MeiLing.Grains.Merchants;

/// <summary>A merchant that sells on the platform, keyed by its merchant id (<c>mer_…</c>).</summary>
[Alias("meiling.merchant")]
public interface IMerchantGrain : IMerchantTransferParty
{
    /// <summary>Opens the merchant and issues its API key; a merchant opens once (409 after).</summary>
    [Alias("open")]
    Task<IssuedKey> Open(OpenMerchant command);

    /// <summary>Issues a new API key and revokes the current one at once (a lost or leaked key).</summary>
    [Alias("replace-key")]
    Task<IssuedKey> ReplaceKey();

    /// <summary>
    /// Starts the merchant's termination (P4.3): its users are notified now (those a failure left untold, by
    /// its reminder soon after), it takes no new orders or member-card money, and after at least 30 days'
    /// notice their data at this merchant is erased or anonymized. 409 <c>transfer-pending</c> while a transfer
    /// of its business, or to it, is open: it closes after that transfer's date.
    /// </summary>
    [Alias("terminate")]
    Task<MerchantView> StartTermination(int noticeDays);

    /// <summary>Tells the users not told yet, then carries out a due termination (what its reminder calls).</summary>
    [Alias("complete-termination")]
    Task<MerchantView> CompleteTerminationIfDue();

    /// <summary>
    /// The most staff members (managers and cashiers, offboarded ones included, as their records and keys' rows stay)
    /// one merchant enrols: more than a large chain's turnover, while each is a record and a key kept for good.
    /// </summary>
    public const int MaxStaff = 10_000;

    /// <summary>
    /// The most staff members one merchant enrols in a day (P4.4): every enrolment rewrites the merchant's record with its
    /// list of staff, so a loop of them up to <see cref="MaxStaff"/> was a storm of ever larger writes.
    /// </summary>
    public const int MaxStaffEnrolmentsPerDay = 200;

    /// <summary>
    /// P4.4 (*reviewer*): of the day's enrolments, those only the merchant key makes: a manager's key (a rogue or leaked
    /// one) that offboarded every till and spent the day's enrolments left the owner no way to issue new till keys for a day.
    /// </summary>
    public const int StaffEnrolmentsKeptForTheMerchantKey = 20;

    /// <summary>
    /// Takes a place for one more staff member; beyond <see cref="MaxStaff"/>, 409 <c>too-many-staff</c>; beyond
    /// <see cref="MaxStaffEnrolmentsPerDay"/> in a day, 429 <c>quota-exceeded</c>; 404 for an unknown merchant.
    /// </summary>
    [Alias("reserve-staff-place")]
    Task ReserveStaffPlace();

    /// <summary>
    /// As <see cref="ReserveStaffPlace"/>, and keeps <paramref name="staffId"/> on the merchant's list of staff, so the
    /// merchant key can find (and offboard) every key enrolled in its name, a manager's included.
    /// </summary>
    [Alias("reserve-staff-place-for")]
    Task ReserveStaffPlaceFor(string staffId);

    /// <summary>
    /// As <see cref="ReserveStaffPlaceFor"/>, for an enrolment by <paramref name="managerId"/> (null: the merchant key): a
    /// manager's enrolments leave the day's last <see cref="StaffEnrolmentsKeptForTheMerchantKey"/> to the merchant key.
    /// </summary>
    [Alias("reserve-staff-place-by")]
    Task ReserveStaffPlaceBy(string staffId, string? managerId);

    /// <summary>
    /// Lists <paramref name="staffId"/>, a staff member whose key is in use, if the merchant does not list them yet: one
    /// enrolled before merchants kept their list (counted then, never named). Their key's first use names them, so the
    /// merchant key can find and offboard it.
    /// </summary>
    [Alias("list-staff-in-use")]
    Task ListStaffInUse(string staffId);

    /// <summary>
    /// The most changes a merchant makes to its own webhook endpoint (set, secret rotated, removed) in a day. Each is written
    /// to the audit log before it is made, and nothing deletes an audit entry: a key looping on them would fill the log
    /// for good (P4.4). Far more than an integration being set up or a secret rotated by hand.
    /// </summary>
    public const int MaxWebhookChangesPerDay = 100;

    /// <summary>
    /// Counts one change the merchant makes to its own webhook endpoint, before it is audited and made: beyond
    /// <see cref="MaxWebhookChangesPerDay"/> in a day, 429 <c>quota-exceeded</c> with when to retry; 404 for an unknown merchant.
    /// </summary>
    [Alias("take-webhook-change")]
    Task TakeWebhookChange();

    /// <summary>
    /// The most new API keys a merchant issues itself in a day. Each is written to the audit log before it exists, and
    /// each revokes the one before across the cluster: a key looping on it (each new key replacing itself) filled the log
    /// for good and kept every silo busy (P4.4). Far more than a lost key replaced by hand.
    /// </summary>
    public const int MaxKeyReplacementsPerDay = 10;

    /// <summary>
    /// Counts one new API key the merchant issues itself, before it is audited and issued: beyond
    /// <see cref="MaxKeyReplacementsPerDay"/> in a day, 429 <c>quota-exceeded</c> with when to retry; 404 for an unknown merchant.
    /// </summary>
    [Alias("take-key-replacement")]
    Task TakeKeyReplacement();

    /// <summary>A page of the ids of the staff the merchant enrolled, oldest first, from <paramref name="skip"/>; 404 for an unknown merchant.</summary>
    [Alias("staff-ids")]
    Task<MerchantStaffIds> StaffIds(int skip, int take);

    /// <summary>The merchant, or null when no merchant has this id.</summary>
    /// <remarks>Interleaves (it only reads): a member card asking during the merchant's own closing turn, which settles that card, must not wait for it.</remarks>
    [Alias("get")]
    [AlwaysInterleave]
    Task<MerchantView?> Get();
}
