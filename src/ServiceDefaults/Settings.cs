using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace MeiLing.ServiceDefaults;

/// <summary>Binds and validates a settings class from configuration, failing start-up with the names of the bad keys.</summary>
public static class Settings
{
    /// <summary>The prefix of every environment variable the platform reads.</summary>
    public const string EnvironmentPrefix = "MEILING_";

    public static T Bind<T>(IConfiguration configuration)
        where T : class, new()
    {
        var settings = new T();
        configuration.Bind(settings);
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true))
        {
            var messages = string.Join(Environment.NewLine, results.Select(r => "  - " + r.ErrorMessage));
            throw new InvalidOperationException($"Invalid configuration:{Environment.NewLine}{messages}");
        }

        return settings;
    }
}
