namespace MeiLing.Grains.Identity;

/// <summary>
/// A code asked for without credentials (<c>POST /v1/verification-codes</c>): the id it is issued as, the number, the
/// purpose, and the network it was asked from (an IPv4 address, an IPv6 /64), whose share of the number's sends it spends
/// (P4.4, <see cref="IVerificationCodeGrain.SendsPerDayPerAskingNetwork"/>). A caller whose address the API cannot tell
/// (a listener without one) has none, and is counted in the number's own allowance alone: one share for every such
/// caller would let a stranger stop the owner with half the sends.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.code-asked")]
public sealed record CodeAsked(
    [property: Id(0)] string VerificationId,
    [property: Id(1)] string Phone,
    [property: Id(2)] VerificationPurpose Purpose,
    [property: Id(3)] string? AskingNetwork);
