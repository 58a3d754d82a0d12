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

    /// <summary>
    /// What a person reads of one record in the access bundle: its view (as the API shows it), with every
    /// tagged field of its state that the view leaves out, and the category of each tagged field. The
    /// view reads well; the tags make sure that a field added to the state later is exported anyway.
    /// </summary>
    public static JsonObject Export<TView>(TView view, object state)
    {
        var exported = JsonSerializer.SerializeToNode(view, Json)!.AsObject();
        foreach (var (name, value) in Export(state).ToList())
        {
            exported.Remove(name, out var shown);
            exported[name] = shown ?? value?.DeepClone();
        }

        return exported;
    }

    /// <summary>The names of the fields <see cref="Export"/> writes for a state type.</summary>
    public static IReadOnlyList<string> ExportedFields(Type stateType) =>
        [.. stateType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.GetCustomAttribute<PersonalDataAttribute>() is { Secret: false })
            .Select(property => JsonNamingPolicy.CamelCase.ConvertName(property.Name))];

    public static JsonSerializerOptions Options => Json;
}
