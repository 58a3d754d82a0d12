namespace MeiLing.Grains.DataRights;

/// <summary>The plan of each request type: its typed steps, in the order they run. Every plan ends by telling the recipients.</summary>
public static class RequestPlans
{
    /// <summary>
    /// First stop everything (sessions, processing, new requests), text the user the code to follow the request with once
    /// the account is gone, then tell everyone the ledger shows received the
    /// user's data (it and the orders are still there to say who and which), then cut or erase what hangs off the
    /// account, then the account and its key, then check that nothing is left. The activity log goes after the key:
    /// entries of the user's last requests may still be on their way, and once the key is gone they are dropped on
    /// arrival instead of being written.
    /// </summary>
    public static IReadOnlyList<RequestStep> Cancellation { get; } =
    [
        new RequestStep.CloseAccount(),
        new RequestStep.TextFollowUpCode(),
        new RequestStep.NotifyRecipients(),
        new RequestStep.Erase(ErasureTarget.Orders),
        new RequestStep.Erase(ErasureTarget.MemberCards),
        new RequestStep.Erase(ErasureTarget.Tickets),
        new RequestStep.Erase(ErasureTarget.Locations),
        new RequestStep.Erase(ErasureTarget.Disclosures),
        new RequestStep.Erase(ErasureTarget.ConsentReceipts),
        new RequestStep.RedactRequests(),
        new RequestStep.Erase(ErasureTarget.Account),
        new RequestStep.Erase(ErasureTarget.Activity),
        new RequestStep.Verify(),
    ];

    /// <summary>The cancellation's erasing steps, each safe to run again after the account is gone (verification does).</summary>
    public static IReadOnlyList<RequestStep.Erase> CancellationErasure { get; } = [.. Cancellation.OfType<RequestStep.Erase>()];

    public static IReadOnlyList<RequestStep> For(DataRightsRequestType type, RequestDetails details) => type switch
    {
        DataRightsRequestType.Access => [new RequestStep.AssembleExport(), new RequestStep.NotifyRecipients()],
        DataRightsRequestType.Correction => [new RequestStep.CorrectProfile(), new RequestStep.CorrectDeliveries(), new RequestStep.NotifyRecipients()],
        DataRightsRequestType.Deletion => [.. details.Categories.Select(category => new RequestStep.Erase(TargetOf(category))), new RequestStep.NotifyRecipients()],
        DataRightsRequestType.Withdrawal => [.. details.Purposes.Select(purpose => new RequestStep.WithdrawConsent(purpose)), new RequestStep.NotifyRecipients()],
        DataRightsRequestType.Cancellation => Cancellation,
        _ => [],
    };

    /// <summary>The erasure a deletion of one category is: the same step cancellation runs for it.</summary>
    public static ErasureTarget TargetOf(ErasableCategory category) => category switch
    {
        ErasableCategory.Locations => ErasureTarget.Locations,
        ErasableCategory.Activity => ErasureTarget.Activity,
        ErasableCategory.Tickets => ErasureTarget.Tickets,
        ErasableCategory.Avatar => ErasureTarget.Avatar,
        ErasableCategory.Addresses => ErasureTarget.Addresses,
        ErasableCategory.BirthDate => ErasureTarget.BirthDate,
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "Not an erasable category."),
    };
}
