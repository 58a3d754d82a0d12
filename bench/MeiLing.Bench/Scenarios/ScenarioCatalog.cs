using MeiLing.Bench.Scenarios.Commerce;
using MeiLing.Bench.Studies;

namespace MeiLing.Bench.Scenarios;

/// <summary>Every scenario, in the order <c>all</c> runs them (ceilings first, the studies last: consent-read-half needs consent-read's peak). Add new ones here.</summary>
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
        new HalfLoadStudy(),
        new ListingFlatnessStudy(),
        new DataRightsStudy(),
        new IdleMemoryStudy(),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. CreateAll().Select(s => s.Name)];
}
