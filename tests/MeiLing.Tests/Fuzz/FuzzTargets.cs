namespace MeiLing.Tests.Fuzz;

/// <summary>A caller the fuzzer speaks as; each request carries the next of its credential header sets (forgeries rotate).</summary>
internal sealed record FuzzCaller(string Name, IReadOnlyList<IReadOnlyDictionary<string, string>> Credentials);

/// <summary>
/// What the fuzzer aims at: ids the callers own by route parameter name (<c>userId</c>, <c>orderId</c>…),
/// the bystander's ids by the same names, and plausible values by body property name, so that each
/// malformed request differs from a valid one in one thing only.
/// </summary>
internal sealed record FuzzTargets(
    IReadOnlyDictionary<string, string> Own,
    IReadOnlyDictionary<string, string> Bystander,
    IReadOnlyDictionary<string, string> Values);
