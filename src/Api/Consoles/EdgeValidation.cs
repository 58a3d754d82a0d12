using System.ComponentModel.DataAnnotations;

namespace MeiLing.Api.Consoles;

/// <summary>
/// The API's edge validation of a request body, for a page that built the same body from its form:
/// the body records' own attributes (MVC cannot bind positional records that carry them), nested bodies included.
/// </summary>
public static class EdgeValidation
{
    /// <summary>Null when every body is valid; otherwise the messages, joined.</summary>
    public static string? Errors(params object?[] bodies)
    {
        var results = new List<ValidationResult>();
        foreach (var body in bodies.OfType<object>())
        {
            Validator.TryValidateObject(body, new ValidationContext(body), results, validateAllProperties: true);
        }

        return results.Count == 0 ? null : string.Join(" ", results.Select(result => result.ErrorMessage));
    }
}
