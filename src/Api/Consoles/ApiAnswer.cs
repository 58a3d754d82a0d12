using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Consoles;

/// <summary>
/// What an API handler answered, as a page reads it. The consoles call the API's own handlers (the same
/// caller checks, validation and grain calls), then show the value, or the refusal, on the page.
/// </summary>
public sealed record ApiAnswer<T>(T? Value, int Status, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool Succeeded => Status is >= 200 and < 300;

    public static ApiAnswer<T> From(IResult result) => result switch
    {
        INestedHttpResult nested => From(nested.Result),
        IValueHttpResult<T> { Value: var value } and IStatusCodeHttpResult status => new(value, status.StatusCode ?? 200, Empty),
        ValidationProblem problem => new(default, 400, problem.ProblemDetails.Errors.ToDictionary()),
        IStatusCodeHttpResult status => new(default, status.StatusCode ?? 200, Empty),
        _ => new(default, 200, Empty),
    };

    private static readonly IReadOnlyDictionary<string, string[]> Empty = new Dictionary<string, string[]>();
}

public static class ApiAnswer
{
    public static ApiAnswer<T> Of<T>(IResult result) => ApiAnswer<T>.From(result);
}
