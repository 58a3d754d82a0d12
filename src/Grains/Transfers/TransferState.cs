namespace MeiLing.Grains.Transfers;

/// <summary>Persisted state of a business transfer (P3.2); its users are rows of <c>transfer_users</c>, so it never grows.</summary>
public sealed class TransferState
{
    public const string Scheduled = "scheduled";
    public const string HandingOver = "handing-over";
    public const string Completed = "completed";

    public string MerchantId { get; set; } = "";

    public string SuccessorMerchantId { get; set; } = "";

    public string SuccessorName { get; set; } = "";

    public string Region { get; set; } = "";

    public DateTimeOffset EffectiveAt { get; set; }

    public string Status { get; set; } = Scheduled;

    /// <summary>Some users may not be told yet (an interruption); the reminder tells them first.</summary>
    public bool NoticesPending { get; set; }

    public int UsersNotified { get; set; }

    public void Schedule(string merchantId, string successorId, string successorName, string region, DateTimeOffset effectiveAt)
    {
        MerchantId = merchantId;
        SuccessorMerchantId = successorId;
        SuccessorName = successorName;
        Region = region;
        EffectiveAt = effectiveAt;
        NoticesPending = true;
    }

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

    public TransferView ToView(string transferId) => new(transferId, MerchantId, SuccessorMerchantId, EffectiveAt, UsersNotified, Status);
}
