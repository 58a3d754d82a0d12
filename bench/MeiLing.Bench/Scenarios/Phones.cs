using System.Globalization;

namespace MeiLing.Bench.Scenarios;

/// <summary>Valid mainland mobile numbers for fresh registrations: <c>13</c> and nine random digits.</summary>
public static class Phones
{
    public static string Next(Random random) =>
        string.Create(CultureInfo.InvariantCulture, $"13{random.Next(0, 1_000_000_000):D9}");
}
