namespace MeiLing.Grains.Users;

/// <summary>Ages that matter to the policy (P5.1): under 14 needs a guardian; under 18 is a minor.</summary>
public static class Age
{
    public const int GuardianConsentBelow = 14;
    public const int AdultFrom = 18;

    public static int YearsOn(DateOnly birthDate, DateOnly today)
    {
        var years = today.Year - birthDate.Year;
        return birthDate.AddYears(years) > today ? years - 1 : years;
    }
}
