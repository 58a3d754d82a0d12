namespace MeiLing.Api.Extensions;

/// <summary>Declares in the OpenAPI document the problem+json answers a route can give besides its success.</summary>
public static class EndpointProblems
{
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder endpoint, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            endpoint = status == StatusCodes.Status400BadRequest
                ? endpoint.ProducesValidationProblem()
                : endpoint.ProducesProblem(status);
        }

        return endpoint;
    }
}
