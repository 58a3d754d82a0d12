using Microsoft.AspNetCore.Mvc;

namespace MeiLing.Api.Problems;

/// <summary>A problem+json answer written by middleware, before any endpoint runs (the endpoints return typed results).</summary>
public static class ProblemWriting
{
    public static async Task WriteProblemAsync(this HttpContext context, int status, string type, string title, string detail, string? header = null)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Type = type, Title = title, Detail = detail };
        if (header is not null)
        {
            // Which header was refused, for a client that shows the error beside it.
            problem.Extensions["header"] = header;
        }

        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
        });
    }
}
