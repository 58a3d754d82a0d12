using MeiLing.Grains.Consents;

namespace MeiLing.Grains.DataRights;

/// <summary>
/// One step of a data-rights request's plan (<see cref="RequestPlans"/>). A step is matched by its type, never by
/// its text; <see cref="Name"/> is only how it is stored in the request's state, shown as progress, counted in the
/// erasure receipt and audited (<c>cancellation:erase-locations</c>), so those stay as they were.
/// </summary>
public abstract record RequestStep
{
    public abstract string Name { get; }

    /// <summary>The access bundle is assembled (P8.1).</summary>
    public sealed record AssembleExport : RequestStep
    {
        public override string Name => "assemble-export";
    }

    public sealed record CorrectProfile : RequestStep
    {
        public override string Name => "correct-profile";
    }

    /// <summary>Corrected delivery details reach every order of the user not yet fulfilled.</summary>
    public sealed record CorrectDeliveries : RequestStep
    {
        public override string Name => "correct-deliveries";
    }

    public sealed record WithdrawConsent(ConsentPurpose Purpose) : RequestStep
    {
        public override string Name => "withdraw-" + ConsentPurposes.Name(Purpose);
    }

    /// <summary>No more sessions, processing or requests; the account's inventory is taken (P4.1).</summary>
    public sealed record CloseAccount : RequestStep
    {
        public override string Name => "close-account";
    }

    /// <summary>The user is texted the cancellation's follow-up code, while the account still has its number (P8.1).</summary>
    public sealed record TextFollowUpCode : RequestStep
    {
        public override string Name => "text-follow-up-code";
    }

    /// <summary>Every party the disclosure ledger shows received the data the request covers is told (issue 14).</summary>
    public sealed record NotifyRecipients : RequestStep
    {
        public override string Name => Webhooks.RequestRecipientNotices.NotifyRecipients;
    }

    public sealed record Erase(ErasureTarget Target) : RequestStep
    {
        public override string Name => Target switch
        {
            ErasureTarget.Orders => "anonymize-orders",
            ErasureTarget.MemberCards => "settle-member-cards",
            ErasureTarget.ConsentReceipts => "pseudonymize-consent-receipts",
            ErasureTarget.Account => "delete-account",
            _ => "erase-" + System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(Target.ToString()),
        };
    }

    /// <summary>The user's other requests keep their record without personal data.</summary>
    public sealed record RedactRequests : RequestStep
    {
        public override string Name => "redact-requests";
    }

    /// <summary>Nothing of the account is found any more (P4.1).</summary>
    public sealed record Verify : RequestStep
    {
        public override string Name => "verify";
    }
}
