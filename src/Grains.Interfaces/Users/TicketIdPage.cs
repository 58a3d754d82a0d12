namespace MeiLing.Grains.Users;

/// <summary>A page of a user's ticket ids, newest first, and how many tickets the user has in all.</summary>
[GenerateSerializer, Immutable, Alias("meiling.ticket-id-page")]
public sealed record TicketIdPage(
    [property: Id(0)] IReadOnlyList<string> TicketIds,
    [property: Id(1)] int Total);
