namespace MeiLing.Grains.Identity;

/// <summary>What a one-time code proves; a code is good for its own purpose (and phone) only.</summary>
[GenerateSerializer, Alias("meiling.verification-purpose")]
public enum VerificationPurpose
{
    Register = 0,
    ResetPassword = 1,
    ConfirmRequest = 2,
    GuardianConsent = 3,

    /// <summary>The member agrees to one charge of their member card at the till (its order and amount).</summary>
    MemberCardPayment = 4,

    /// <summary>
    /// The guardian of a child under 14 withdraws their consent, which cancels the child's account (P5.1). Apart from
    /// <see cref="GuardianConsent"/>, whose text asks the guardian to pass the code on to confirm: a code given out to
    /// confirm cannot close the account, nor one asked for to withdraw confirm it.
    /// </summary>
    GuardianWithdrawal = 5,
}

/// <summary>The refusal every wrong, expired, used-up or misdirected code gets: one answer, so a guesser learns nothing.</summary>
public static class VerificationCodes
{
    /// <summary>The problem code of <see cref="Failed"/>.</summary>
    public const string FailedCode = "verification-failed";

    public static DomainException Failed() => DomainException.InvalidField(
        "verificationCode", FailedCode,
        "The verification code is wrong, expired, used up, or was sent for another number or purpose; ask for a new one.");

    public static string Name(VerificationPurpose purpose) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(purpose.ToString());
}
