namespace MeiLing.Grains.DataRights;

/// <summary>
/// What one erasure step removes. Deletion erases the categories the user names, cancellation all of them in
/// its order; both go through the one orchestrator, <see cref="ErasureSteps"/>.
/// </summary>
public enum ErasureTarget
{
    /// <summary>Orders are kept for the merchant's books, cut from the user.</summary>
    Orders,

    /// <summary>Each member card is settled with its merchant, then erased.</summary>
    MemberCards,
    Tickets,
    Locations,
    Disclosures,

    /// <summary>Receipts are kept as a record that consent was asked and answered, under a pseudonym that leads nowhere.</summary>
    ConsentReceipts,

    /// <summary>The user grain's state, the phone index entry and the user's data key.</summary>
    Account,
    Activity,
    Avatar,
    Addresses,
    BirthDate,
}
