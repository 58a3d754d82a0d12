using MeiLing.Bench.Scenarios.Commerce;

namespace MeiLing.Bench.Scenarios;

/// <summary>Every scenario, in the order <c>all</c> runs them (ceilings first). Add new ones here.</summary>
public static class ScenarioCatalog
{
    public static IReadOnlyList<IScenario> CreateAll() =>
    [
        new CeilingHttpScenario(),
        new CeilingWriteScenario(),
        new RegisterScenario(),
        new LoginScenario(),
        new ConsentReadScenario(),
        new ConsentWriteScenario(),
        new LocationWriteScenario(),
        new OrderCreateScenario(),
        new OrderReadScenario(),
        new PaymentScenario(),
        new ListingScenario(deep: false),
        new ListingScenario(deep: true),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. CreateAll().Select(s => s.Name)];
}
