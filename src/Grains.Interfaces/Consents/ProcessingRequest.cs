namespace MeiLing.Grains.Consents;

/// <summary>
/// A flow asking the user grain whether it may process the user's data now: either for a consent
/// <paramref name="Purpose"/>, or under a named <paramref name="Exception"/> that needs no consent (P1.10);
/// and, when the data goes to a party in a data <paramref name="Region"/>, which one: it must be the user's (P4.2).
/// When the processing places a new order for the user, <paramref name="PlacingMerchant"/> names the merchant placing
/// it: the gate counts it against that merchant's daily allowance of orders for the user (P4.4).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.processing-request")]
public sealed record ProcessingRequest(
    [property: Id(0)] string Activity,
    [property: Id(1)] ConsentPurpose? Purpose,
    [property: Id(2)] LawfulBasis? Exception,
    [property: Id(3)] string? Region = null,
    [property: Id(4)] string? PlacingMerchant = null,
    [property: Id(5)] bool AddingTicketMessage = false)
{
    public static ProcessingRequest ForPurpose(string activity, ConsentPurpose purpose) => new(activity, purpose, null);

    public static ProcessingRequest Under(string activity, LawfulBasis exception) => new(activity, null, exception);

    /// <summary>The same processing, for a party whose data stays in <paramref name="region"/>.</summary>
    public ProcessingRequest In(string region) => this with { Region = region };

    /// <summary>The same processing, placing a new order for the user at <paramref name="merchantId"/>.</summary>
    public ProcessingRequest PlacingOrderAt(string merchantId) => this with { PlacingMerchant = merchantId };

    /// <summary>The same processing, adding the user's own message to one of their tickets (counted against their day of them).</summary>
    public ProcessingRequest AddingUsersTicketMessage() => this with { AddingTicketMessage = true };
}

/// <summary>The lawful basis a processing went ahead on; the receipt when it was consent (P1.10).</summary>
[GenerateSerializer, Immutable, Alias("meiling.processing-basis")]
public sealed record ProcessingBasis(
    [property: Id(0)] LawfulBasis Basis,
    [property: Id(1)] string? ReceiptId,
    [property: Id(2)] DateTimeOffset At);
