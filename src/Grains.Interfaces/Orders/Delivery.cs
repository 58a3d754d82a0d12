namespace MeiLing.Grains.Orders;

/// <summary>Where and to whom an order goes (P1.5): the user's personal data, erased or anonymized with them.</summary>
[GenerateSerializer, Immutable, Alias("meiling.delivery")]
public sealed record Delivery(
    [property: Id(0)] string RecipientName,
    [property: Id(1)] FormOfAddress Gender,
    [property: Id(2)] string Phone,
    [property: Id(3)] string Address,
    [property: Id(4)] string DoorNumber);

/// <summary>How the recipient is addressed.</summary>
[GenerateSerializer, Alias("meiling.form-of-address")]
public enum FormOfAddress
{
    Unspecified = 0,
    Female = 1,
    Male = 2,
}
