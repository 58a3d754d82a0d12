namespace MeiLing.Grains.Merchants;

/// <summary>Persisted state of a merchant.</summary>
public sealed class MerchantState
{
    public string Name { get; set; } = "";

    public string Region { get; set; } = "";

    /// <summary>The IANA time zone its reports' days are in; null (merchants opened before) is Asia/Shanghai.</summary>
    public string? TimeZone { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public MerchantStatus Status { get; set; }

    public DateTimeOffset? TerminationEffectiveAt { get; set; }

    /// <summary>The termination's users are not all told yet (P4.3); its reminder tells them first.</summary>
    public bool NoticesPending { get; set; }

    /// <summary>Where the termination's notices have got to among the merchant's customers (a walk position); null: from the first.</summary>
    public string? NoticesFrom { get; set; }

    /// <summary>Whether the termination's notices walked every customer once (those it could not reach are retried apart).</summary>
    public bool NoticesWalked { get; set; }

    /// <summary>When the notice walk under way (or the last one) took its first batch; null: none yet since the termination began.</summary>
    public DateTimeOffset? NoticesWalkStartedAt { get; set; }

    /// <summary>
    /// P4.3: from when no silo can still take on a customer for the closing merchant (a copy of it that missed the change, an
    /// order or card checked against it just before, still being written): only a notice walk begun then meets every customer,
    /// so one begun earlier is walked once more from the first when this is past. Null (a closing begun before it was kept):
    /// any walk.
    /// </summary>
    public DateTimeOffset? NoticesFinalWalkFrom { get; set; }

    /// <summary>
    /// Customers the termination's notice could not reach yet (their inbox failing), tried again every minute (P4.3); at
    /// most <see cref="UnreachedKept"/>: more and the walk holds its place until fewer fail.
    /// </summary>
    public List<string> NoticesUnreached { get; set; } = [];

    /// <summary>Where the termination's erasure has got to among the merchant's customers; null: from the first.</summary>
    public string? ErasureFrom { get; set; }

    /// <summary>Whether the erasure walk under way (from the first customer to the last) erased or anonymized anything.</summary>
    public bool ErasureWalkProgressed { get; set; }

    /// <summary>Whole erasure walks in a row that ended with a customer still named and nothing erased.</summary>
    public int ErasureWalksWithoutProgress { get; set; }

    /// <summary>Set while the erasure stalled (P4.3, P4.4): what is left, for an operator; null while it makes progress.</summary>
    public MerchantErasureStall? ErasureStall { get; set; }

    /// <summary>The open transfer of this merchant's business to a successor, if any (P3.2).</summary>
    public HeldByTransfer? TransferAway { get; set; }

    /// <summary>The open transfers that name this merchant as successor (P3.2).</summary>
    public List<HeldByTransfer> TransfersIn { get; set; } = [];

    /// <summary>Forgets <paramref name="transferId"/>, as source or successor; false when it held the merchant in neither role.</summary>
    public bool ReleaseFromTransfer(string transferId)
    {
        var released = TransfersIn.RemoveAll(held => held.TransferId == transferId) > 0;
        if (TransferAway?.TransferId == transferId)
        {
            TransferAway = null;
            released = true;
        }

        return released;
    }

    /// <summary>A transfer the merchant is party to, and since when: one whose start died before its record was written holds it a while.</summary>
    public sealed class HeldByTransfer
    {
        public string TransferId { get; set; } = "";

        public DateTimeOffset Since { get; set; }
    }

    /// <summary>The lookup hash of the merchant's current API key (never the key), so a rotation can revoke it.</summary>
    public string? KeyHash { get; set; }

    /// <summary>How many staff members the merchant ever enrolled (offboarded ones stay on record).</summary>
    public int StaffEnrolled { get; set; }

    /// <summary>Counts one more staff member; 409 <c>too-many-staff</c> once <see cref="IMerchantGrain.MaxStaff"/> were enrolled.</summary>
    public void EnrolStaff(DateTimeOffset now, bool byManager = false)
    {
        if (Status != MerchantStatus.Active)
        {
            // P4.3 (*reviewer*): a closing merchant takes no new orders; new staff would be new keys reading its customers'
            // data while it is to be erased.
            throw DomainException.Conflict("merchant-closing", "This merchant is closing; it enrols no new staff.");
        }

        if (StaffEnrolled >= IMerchantGrain.MaxStaff)
        {
            // Without a bound, the merchant key or a manager enrolling in a loop grows staff records and API keys without end.
            throw DomainException.Conflict("too-many-staff", $"A merchant enrols at most {IMerchantGrain.MaxStaff} staff members, offboarded ones included.");
        }

        // A manager's enrolments leave the day's last few to the merchant key, which then can still replace a team.
        var dayForThisCaller = byManager
            ? IMerchantGrain.MaxStaffEnrolmentsPerDay - IMerchantGrain.StaffEnrolmentsKeptForTheMerchantKey
            : IMerchantGrain.MaxStaffEnrolmentsPerDay;
        StaffEnrolments.Take(now, Users.UserQuotas.Day, dayForThisCaller, "staff members enrolled by the merchant");
        StaffEnrolled++;
    }

    /// <summary>
    /// The staff the merchant enrolled since it keeps this list, oldest first (offboarded ones stay): every key issued in its
    /// name can be found by the merchant key, even one a manager minted and never told of. At most <see cref="IMerchantGrain.MaxStaff"/>.
    /// </summary>
    public List<string> StaffIds { get; set; } = [];

    /// <summary>When the merchant itself changed its webhook endpoint lately: at most <see cref="IMerchantGrain.MaxWebhookChangesPerDay"/> a day.</summary>
    public Users.Allowance WebhookChanges { get; set; } = new();

    /// <summary>When the merchant enrolled staff lately: at most <see cref="IMerchantGrain.MaxStaffEnrolmentsPerDay"/> a day.</summary>
    public Users.Allowance StaffEnrolments { get; set; } = new();

    /// <summary>When the merchant itself issued itself a new API key lately: at most <see cref="IMerchantGrain.MaxKeyReplacementsPerDay"/> a day.</summary>
    public Users.Allowance KeyReplacements { get; set; } = new();

    /// <summary>Counts one more staff member, as <see cref="EnrolStaff(DateTimeOffset, bool)"/>, and lists them.</summary>
    public void EnrolStaff(string staffId, DateTimeOffset now, bool byManager = false)
    {
        if (StaffIds.Contains(staffId))
        {
            // A retried enrolment of the same member: counted and listed already.
            return;
        }

        EnrolStaff(now, byManager);
        StaffIds.Add(staffId);
    }

    /// <summary>
    /// Lists a member enrolled before this list was kept, found by their key's use; false when already listed. They were
    /// counted at their enrolment, so the count moves only if it had missed them too.
    /// </summary>
    public bool ListEnrolledEarlier(string staffId)
    {
        if (StaffIds.Contains(staffId))
        {
            return false;
        }

        StaffIds.Add(staffId);
        StaffEnrolled = Math.Max(StaffEnrolled, StaffIds.Count);
        return true;
    }

    public void Open(OpenMerchant command, DateTimeOffset now, string keyHash)
    {
        Name = command.Name;
        Region = command.Region;
        TimeZone = command.TimeZone;
        CreatedAt = now;
        Status = MerchantStatus.Active;
        KeyHash = keyHash;
    }

    public void ReplaceKey(string keyHash) => KeyHash = keyHash;

    public void BeginTermination(DateTimeOffset effectiveAt, DateTimeOffset finalWalkFrom)
    {
        Status = MerchantStatus.Terminating;
        TerminationEffectiveAt = effectiveAt;
        NoticesPending = true;
        NoticesFrom = null;
        NoticesWalked = false;
        NoticesWalkStartedAt = null;
        NoticesFinalWalkFrom = finalWalkFrom;
        NoticesUnreached = [];
        ErasureFrom = null;
        ErasureWalkProgressed = false;
        ErasureWalksWithoutProgress = 0;
        ErasureStall = null;
    }

    /// <summary>How many customers a closing keeps to tell again; a walk that would leave more untold waits instead.</summary>
    public const int UnreachedKept = 1_000;

    /// <summary>Customers a closing could not tell by its date and erased all the same, for the operator (P4.3).</summary>
    public int NoticesGivenUp { get; set; }

    /// <summary>
    /// Whether a batch that left <paramref name="unreached"/> customers untold may go on past them (kept to be told again).
    /// Those kept already take no second place: the final walk (P4.3) meets again whoever the walk before could not tell.
    /// </summary>
    public bool CanKeepUnreached(IEnumerable<string> unreached) =>
        NoticesUnreached.Count + unreached.Count(userId => !NoticesUnreached.Contains(userId)) <= UnreachedKept;

    /// <summary>Whether the notice walk takes a batch at <paramref name="now"/>: one under way goes on; one from the first waits for <see cref="NoticesFinalWalkFrom"/> once a walk was made.</summary>
    public bool NoticeWalkDueAt(DateTimeOffset now) => NoticesFrom is not null || NoticesWalkStartedAt is null || !(now < NoticesFinalWalkFrom);

    /// <summary>Whether a batch taken at <paramref name="now"/> is of the final walk (P4.3): one begun, or from the first beginning, once <see cref="NoticesFinalWalkFrom"/> is past.</summary>
    public bool FinalNoticeWalk(DateTimeOffset now) => !((NoticesFrom is null ? now : NoticesWalkStartedAt) < NoticesFinalWalkFrom);

    /// <summary>A walk ended before the final one could begin, and the final one has not begun.</summary>
    public bool OwesFinalNoticeWalk => !NoticesWalked && NoticesFrom is null && NoticesWalkStartedAt is not null;

    /// <summary>The date came before the final walk began (no tick came): the walk counts as made, as for those kept untold.</summary>
    public void ForgoFinalNoticeWalk()
    {
        NoticesWalked = true;
        UpdateNoticesPending();
    }

    /// <summary>
    /// A batch of the walk taken at <paramref name="now"/> was told but <paramref name="unreached"/>; <paramref name="next"/>
    /// null: the walk reached the last. P4.3: a walk begun before <see cref="NoticesFinalWalkFrom"/> may have passed the place
    /// of a customer taken on meanwhile, so reaching the last it leaves the walk to be made again from the first, once that
    /// is past. A customer the batch told is no longer kept untold (an order of theirs met earlier failed).
    /// </summary>
    public void NoticesReached(string? next, IReadOnlyCollection<string> told, IEnumerable<string> unreached, DateTimeOffset now)
    {
        var final = FinalNoticeWalk(now);
        NoticesWalkStartedAt = NoticesFrom is null ? now : NoticesWalkStartedAt;
        NoticesFrom = next;
        NoticesWalked = next is null && final;
        NoticesUnreached.RemoveAll(told.Contains);
        NoticesUnreached.AddRange(unreached.Where(userId => !NoticesUnreached.Contains(userId)));
        UpdateNoticesPending();
    }

    /// <summary>
    /// Customers kept untold were tried again: <paramref name="told"/> leave the list, the others go to its end so the
    /// next try starts with those not tried yet.
    /// </summary>
    public void RetriedUnreached(IReadOnlyCollection<string> told, IReadOnlyCollection<string> stillUnreached)
    {
        NoticesUnreached.RemoveAll(userId => told.Contains(userId) || stillUnreached.Contains(userId));
        NoticesUnreached.AddRange(stillUnreached);
        UpdateNoticesPending();
    }

    /// <summary>
    /// P4.3: a customer told later than the closing's notice allows named a later date (<paramref name="theirDate"/>): the
    /// closing's erasure waits for it. False when the date stays.
    /// </summary>
    public bool MovedFor(DateTimeOffset theirDate)
    {
        if (theirDate <= TerminationEffectiveAt)
        {
            return false;
        }

        TerminationEffectiveAt = theirDate;
        return true;
    }

    /// <summary>The walk is done and the date is here: those still untold are erased untold; how many, for the operator.</summary>
    public int GiveUpUnreached()
    {
        var givenUp = NoticesUnreached.Count;
        NoticesGivenUp += givenUp;
        NoticesUnreached = [];
        UpdateNoticesPending();
        return givenUp;
    }

    private void UpdateNoticesPending() => NoticesPending = !NoticesWalked || NoticesUnreached.Count > 0;

    /// <summary>
    /// A batch of customers' data was walked (<paramref name="progressed"/>: something in it was erased or anonymized);
    /// the next batch starts at <paramref name="next"/>.
    /// </summary>
    public void ErasureReached(string? next, bool progressed)
    {
        ErasureFrom = next;
        ErasureWalkProgressed |= progressed;
    }

    /// <summary>
    /// A walk reached the last customer with some still named: the next walks from the first. Returns how many walks in a
    /// row anonymized nothing; one that did clears a stall.
    /// </summary>
    public int ErasureWalkEndedWithCustomersLeft()
    {
        ErasureFrom = null;
        ErasureWalksWithoutProgress = ErasureWalkProgressed ? 0 : ErasureWalksWithoutProgress + 1;
        ErasureWalkProgressed = false;
        if (ErasureWalksWithoutProgress == 0)
        {
            ErasureStall = null;
        }

        return ErasureWalksWithoutProgress;
    }

    /// <summary>The erasure stalled on what is left; it tries again at <paramref name="nextAttemptAt"/>, and stays closing till then.</summary>
    public void ErasureStalled(IReadOnlyList<string> orderIds, int memberCardsLeft, DateTimeOffset now, DateTimeOffset nextAttemptAt) =>
        ErasureStall = new MerchantErasureStall(orderIds, memberCardsLeft, ErasureWalksWithoutProgress, ErasureStall?.Since ?? now, nextAttemptAt);

    public void Terminated()
    {
        Status = MerchantStatus.Terminated;
        ErasureStall = null;
    }

    public MerchantView ToView(string merchantId) =>
        new(merchantId, Name, Region, CreatedAt, Status, TerminationEffectiveAt, TimeZone ?? MerchantTimeZones.Default, ErasureStall, TransferAway?.TransferId, NoticesGivenUp);
}
