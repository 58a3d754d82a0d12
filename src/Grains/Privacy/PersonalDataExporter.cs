using System.Collections.Concurrent;
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

    // A type's tagged fields, found by reflection once: reading attributes on every export cost an export of a
    // 1,000-order user about a seventh of the silo's time (its attribute look-ups are not cached by the runtime).
    private static readonly ConcurrentDictionary<Type, TaggedField[]> TaggedFields = new();

    public static JsonObject Export(object state)
    {
        var fields = new JsonObject();
        var tagged = TaggedFieldsOf(state.GetType());
        foreach (var field in tagged)
        {
            fields[field.Name] = field.ValueIn(state);
        }

        fields["dataCategories"] = Categories(tagged);
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
        var tagged = TaggedFieldsOf(state.GetType());
        foreach (var field in tagged)
        {
            // Moved after the view's own fields, as the view shows it; from the state only where the view has nothing.
            exported.Remove(field.Name, out var shown);
            exported[field.Name] = shown ?? field.ValueIn(state);
        }

        exported.Remove("dataCategories", out var shownCategories);
        exported["dataCategories"] = shownCategories ?? Categories(tagged);
        return exported;
    }

    /// <summary>The names of the fields <see cref="Export"/> writes for a state type.</summary>
    public static IReadOnlyList<string> ExportedFields(Type stateType) => [.. TaggedFieldsOf(stateType).Select(field => field.Name)];

    private static TaggedField[] TaggedFieldsOf(Type stateType) => TaggedFields.GetOrAdd(stateType, static type =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(property => (property, tag: property.GetCustomAttribute<PersonalDataAttribute>()))
            .Where(found => found.tag is { Secret: false })
            .Select(found => new TaggedField(
                found.property,
                JsonNamingPolicy.CamelCase.ConvertName(found.property.Name),
                JsonNamingPolicy.KebabCaseLower.ConvertName(found.tag!.Category.ToString()),
                found.tag.Sensitive))]);

    private static JsonObject Categories(TaggedField[] tagged)
    {
        var categories = new JsonObject();
        foreach (var field in tagged)
        {
            categories[field.Name] = new JsonObject { ["category"] = field.Category, ["sensitive"] = field.Sensitive };
        }

        return categories;
    }

    private sealed record TaggedField(PropertyInfo Property, string Name, string Category, bool Sensitive)
    {
        public JsonNode? ValueIn(object state) => JsonSerializer.SerializeToNode(Property.GetValue(state), Property.PropertyType, Json);
    }

    public static JsonSerializerOptions Options => Json;
}
