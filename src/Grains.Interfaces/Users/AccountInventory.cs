namespace MeiLing.Grains.Users;

/// <summary>What a closing account still points to, so later erasure steps can reach it after the user's state is gone.</summary>
[GenerateSerializer, Immutable, Alias("meiling.account-inventory")]
public sealed record AccountInventory(
    [property: Id(0)] IReadOnlyList<string> TicketIds);
