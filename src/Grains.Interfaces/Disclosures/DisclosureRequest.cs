using MeiLing.Grains.Consents;

namespace MeiLing.Grains.Disclosures;

/// <summary>
/// A flow about to hand some of a user's data to an outside party (P3.1): who, which fields, why, and on
/// what basis — a consent purpose or a named exception (P1.10) — checked by the user grain at that moment;
/// and where the recipient keeps it, which must be the user's own data region (P4.2). A hand-over to a legal
/// authority names the document that demands it (P3.3); <see cref="Note"/> says what binds the recipient (P3.2); a hand-over
/// for an order names it (<see cref="OrderId"/>), so a partner's erasure notice can tell it which orders to erase (P3.1).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.disclosure-request")]
public sealed record DisclosureRequest(
    [property: Id(0)] string Recipient,
    [property: Id(1)] RecipientKind RecipientKind,
    [property: Id(2)] IReadOnlyList<string> Fields,
    [property: Id(3)] string Purpose,
    [property: Id(4)] ConsentPurpose? Consent,
    [property: Id(5)] LawfulBasis? Exception,
    [property: Id(6)] string RecipientRegion,
    [property: Id(7)] string? DocumentReference = null,
    [property: Id(8)] string? Note = null,
    [property: Id(9)] string? OrderId = null)
{
    /// <summary>The purpose of a payment partner's hand-over that gives the user's money back.</summary>
    public const string RefundPurpose = "refund";

    /// <summary>Giving the user's money back: it goes on whatever the user's consents, as the user's own interest.</summary>
    public bool ReturnsTheUsersMoney => RecipientKind == RecipientKind.PaymentPartner && Purpose == RefundPurpose;
}

/// <summary>One hand-over of a user's data, as the disclosure ledger keeps it; <see cref="OrderId"/> names the order it was for, if any.</summary>
[GenerateSerializer, Immutable, Alias("meiling.disclosure-record")]
public sealed record DisclosureRecord(
    [property: Id(0)] string Recipient,
    [property: Id(1)] RecipientKind RecipientKind,
    [property: Id(2)] IReadOnlyList<string> Fields,
    [property: Id(3)] string Purpose,
    [property: Id(4)] LawfulBasis Basis,
    [property: Id(5)] DateTimeOffset At,
    [property: Id(6)] string? ConsentReceiptId,
    [property: Id(7)] string? DocumentReference = null,
    [property: Id(8)] string? Note = null,
    [property: Id(9)] string? OrderId = null);
