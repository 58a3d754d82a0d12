namespace MeiLing.Grains.Transfers;

/// <summary>Persisted state of a business transfer (P3.2); its users are rows of <c>transfer_users</c>, so it never grows.</summary>
public sealed class TransferState
{
    public const string Scheduled = "scheduled";
    public const string HandingOver = "handing-over";
    public const string Completed = "completed";

    public string MerchantId { get; set; } = "";

    /// <summary>The name the source merchant traded under when the transfer began: its notice names the shop (P3.2); empty before it was kept.</summary>
    public string MerchantName { get; set; } = "";

    public string SuccessorMerchantId { get; set; } = "";

    public string SuccessorName { get; set; } = "";

    public string Region { get; set; } = "";

    public DateTimeOffset EffectiveAt { get; set; }

    public string Status { get; set; } = Scheduled;

    /// <summary>Some users may not be told yet (an interruption); the reminder tells them first.</summary>
    public bool NoticesPending { get; set; }

    public int UsersNotified { get; set; }

    /// <summary>Where listing the merchant's customers under the transfer has got to (a <c>CustomerWalk</c> position); null: from the first.</summary>
    public string? ListedFrom { get; set; }

    /// <summary>Every customer of the merchant is listed in <c>transfer_users</c>; telling them may be left.</summary>
    public bool CustomersListed { get; set; }

    public void Schedule(string merchantId, string merchantName, string successorId, string successorName, string region, DateTimeOffset effectiveAt)
    {
        MerchantId = merchantId;
        MerchantName = merchantName;
        SuccessorMerchantId = successorId;
        SuccessorName = successorName;
        Region = region;
        EffectiveAt = effectiveAt;
        NoticesPending = true;
        ListedFrom = null;
        CustomersListed = false;
    }

    /// <summary>
    /// P3.2 (*reviewer*): a transfer begun before its date was kept to a whole UTC day takes effect at the end of that day,
    /// the day its notices name: later, never sooner, than it was given.
    /// </summary>
    public void TakeEffectAtTheEndOfItsDay() => EffectiveAt = Platform.UtcDays.WholeDay(EffectiveAt);

    /// <summary>A batch of customers was listed; <paramref name="next"/> null: every one is.</summary>
    public void Listed(string? next)
    {
        ListedFrom = next;
        CustomersListed = next is null;
    }

    /// <summary>So many more users were told; the notices go on.</summary>
    public void Told(int users) => UsersNotified += users;

    public void NoticesSent(int users)
    {
        NoticesPending = false;
        UsersNotified = users;
    }

    /// <summary>The date has come: users are handed over (or left out) a batch at a time from now on.</summary>
    public bool BeginHandOver()
    {
        if (Status != Scheduled)
        {
            return false;
        }

        Status = HandingOver;
        return true;
    }

    public void Complete() => Status = Completed;

    public TransferView ToView(string transferId) => new(transferId, MerchantId, SuccessorMerchantId, EffectiveAt, UsersNotified, Status, !NoticesPending);
}
