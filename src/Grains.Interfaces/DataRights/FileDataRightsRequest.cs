using MeiLing.Grains.Consents;
using MeiLing.Grains.Users;

namespace MeiLing.Grains.DataRights;

/// <summary>A data-rights request as filed by the user or by support on the user's behalf.</summary>
[GenerateSerializer, Immutable, Alias("meiling.file-data-rights-request")]
public sealed record FileDataRightsRequest(
    [property: Id(0)] DataRightsRequestType Type,
    [property: Id(1)] RequestDetails Details,
    [property: Id(2)] string FiledByRole,
    [property: Id(3)] string FiledById,
    [property: Id(4)] string? Reason,
    [property: Id(5)] string? Verification)
{
    /// <summary>
    /// A request that erases, withdraws or corrects, filed by support: one agent alone must not be able to erase an
    /// account, nor rewrite its profile and redirect its open orders' deliveries (P1.7), so it waits for the user
    /// (or a second agent) before anything happens.
    /// </summary>
    public bool NeedsConfirmation =>
        FiledByRole == RequestActor.SupportRole
        && Type is DataRightsRequestType.Cancellation or DataRightsRequestType.Deletion or DataRightsRequestType.Withdrawal
            or DataRightsRequestType.Correction;
}

/// <summary>What a request asks for, by type: corrected fields, categories to erase, purposes to withdraw.</summary>
[GenerateSerializer, Immutable, Alias("meiling.request-details")]
public sealed record RequestDetails(
    [property: Id(0)] ProfileCorrection? Correction,
    [property: Id(1)] DeliveryCorrection? Delivery,
    [property: Id(2)] IReadOnlyList<ErasableCategory> Categories,
    [property: Id(3)] IReadOnlyList<ConsentPurpose> Purposes)
{
    public static RequestDetails None { get; } = new(null, null, [], []);
}

/// <summary>
/// Corrected delivery details, applied to the user's orders still on their way that the user paid for themselves, and to
/// those of them the user names (<see cref="OrderIds"/>: one paid at a till, or not paid yet). The form of address is among
/// them: merchants and the delivery partner receive it with the rest (P1.5), so a wrong one is corrected as they are.
/// </summary>
/// <remarks>
/// P1.5, P3.1 (*reviewer*): any merchant's key may place an order in a user's name, and keep one "on its way" by placing
/// another every few days, unpaid or paid with its own cash. Applied to every order on its way, a correction handed a
/// former merchant the user's new name, phone and address, read back from its order. Only an order the user paid for in
/// their own session, or named, is one they are known to await.
/// </remarks>
[GenerateSerializer, Immutable, Alias("meiling.delivery-correction")]
public sealed record DeliveryCorrection(
    [property: Id(0)] string? RecipientName,
    [property: Id(1)] string? Phone,
    [property: Id(2)] string? Address,
    [property: Id(3)] string? DoorNumber,
    [property: Id(4)] Orders.FormOfAddress? Gender = null,
    [property: Id(5)] IReadOnlyList<string>? OrderIds = null)
{
    /// <summary>The most orders a correction names.</summary>
    public const int MaxOrderIds = 50;

    /// <summary>Whether it corrects anything.</summary>
    public bool IsEmpty => this is { RecipientName: null, Phone: null, Address: null, DoorNumber: null, Gender: null };

    /// <summary>Whether the user named <paramref name="orderId"/> among the orders to readdress.</summary>
    public bool Names(string orderId) => OrderIds?.Contains(orderId, StringComparer.Ordinal) == true;
}

/// <summary>What a deletion request can erase while the account stays.</summary>
[GenerateSerializer, Alias("meiling.erasable-category")]
public enum ErasableCategory
{
    Locations = 0,
    Activity = 1,
    Tickets = 2,
    Avatar = 3,
    Addresses = 4,
    BirthDate = 5,
}
