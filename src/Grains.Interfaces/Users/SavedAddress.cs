namespace MeiLing.Grains.Users;

/// <summary>A delivery address the user keeps; imported ones say where they came from (P1.8).</summary>
[GenerateSerializer, Immutable, Alias("meiling.saved-address")]
public sealed record SavedAddress(
    [property: Id(0)] string RecipientName,
    [property: Id(1)] string Phone,
    [property: Id(2)] string Address,
    [property: Id(3)] string DoorNumber,
    [property: Id(4)] Provenance? Provenance);

/// <summary>Where indirectly collected data came from, with what authorization, when (P1.8).</summary>
[GenerateSerializer, Immutable, Alias("meiling.provenance")]
public sealed record Provenance(
    [property: Id(0)] string Source,
    [property: Id(1)] string Authorization,
    [property: Id(2)] DateTimeOffset ReceivedAt,
    [property: Id(3)] string ConsentReceiptId);

/// <summary>Addresses arriving from a third party, e.g. a partner's address book.</summary>
[GenerateSerializer, Immutable, Alias("meiling.import-addresses")]
public sealed record ImportAddresses(
    [property: Id(0)] string Source,
    [property: Id(1)] string Authorization,
    [property: Id(2)] IReadOnlyList<SavedAddress> Addresses);
