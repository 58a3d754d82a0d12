using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MeiLing.Grains.Privacy;

/// <summary>
/// Writes every field of a state object tagged <see cref="PersonalDataAttribute"/> into a JSON object,
/// with its category: what the access bundle shows is decided by the tags, so a field added and tagged
/// later is exported without anyone remembering to.
/// </summary>
public static class PersonalDataExporter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static JsonObject Export(object state)
    {
        var fields = new JsonObject();
        var categories = new JsonObject();
        foreach (var property in state.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<PersonalDataAttribute>() is not { } tag || tag.Secret)
            {
                continue;
            }

            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            fields[name] = JsonSerializer.SerializeToNode(property.GetValue(state), property.PropertyType, Json);
            categories[name] = new JsonObject
            {
                ["category"] = JsonNamingPolicy.KebabCaseLower.ConvertName(tag.Category.ToString()),
                ["sensitive"] = tag.Sensitive,
            };
        }

        fields["dataCategories"] = categories;
        return fields;
    }

    /// <summary>The names of the fields <see cref="Export"/> writes for a state type.</summary>
    public static IReadOnlyList<string> ExportedFields(Type stateType) =>
        [.. stateType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.GetCustomAttribute<PersonalDataAttribute>() is { Secret: false })
            .Select(property => JsonNamingPolicy.CamelCase.ConvertName(property.Name))];

    public static JsonSerializerOptions Options => Json;
}
