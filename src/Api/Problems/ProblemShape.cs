using System.Text.Json;

namespace MeiLing.Api.Problems;

/// <summary>The finishing touches every problem+json body gets, whoever wrote it (a handler, validation, the framework).</summary>
internal static class ProblemShape
{
    private const string DefaultValidationTitle = "One or more validation errors occurred.";

    public static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Instance ??= context.HttpContext.Request.Path;
        problem.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);

        if (problem is HttpValidationProblemDetails validation)
        {
            if (problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
            {
                problem.Type = ProblemTypes.Validation;
            }

            problem.Title ??= DefaultValidationTitle;
            CamelCaseKeys(validation.Errors);
        }
    }

    // Error keys name request fields as clients send them (camelCase JSON), not as C# properties.
    private static void CamelCaseKeys(IDictionary<string, string[]> errors)
    {
        foreach (var key in errors.Keys.ToList())
        {
            var camel = string.Join('.', key.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
            if (camel != key)
            {
                errors[camel] = errors.TryGetValue(camel, out var existing) ? [.. existing, .. errors[key]] : errors[key];
                errors.Remove(key);
            }
        }
    }
}
