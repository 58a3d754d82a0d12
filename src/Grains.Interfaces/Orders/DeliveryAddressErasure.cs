namespace MeiLing.Grains.Orders;

/// <summary>
/// What a deletion of the user's addresses did to one order's delivery (P3.1, P4.1): erased its address and door number
/// (now or before), kept them to be delivered and owes their erasure once the order is past delivery (a delivery grace after
/// its fulfilment, at once at a cancellation or refund), or found no delivery to erase.
/// </summary>
[GenerateSerializer, Alias("meiling.delivery-address-erasure")]
public enum DeliveryAddressErasure
{
    NoDelivery = 0,
    Erased = 1,
    OwedOnceDelivered = 2,
}
