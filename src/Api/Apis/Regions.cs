using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>The deployment's data regions (P4.2): a request naming another region is refused at the edge.</summary>
internal static class Regions
{
    public static bool TryResolve(ApiSettings settings, string? requested, out string region, out ValidationProblem? problem)
    {
        region = requested ?? settings.ServedRegions[0];
        if (settings.ServedRegions.Contains(region))
        {
            problem = null;
            return true;
        }

        problem = TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { ["region"] = [$"This deployment serves {settings.Regions} only."] });
        return false;
    }
}
