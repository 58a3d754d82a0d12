using System.Text.Json;
using System.Text.Json.Serialization;

namespace MeiLing.Api.Validation;

/// <summary>
/// Enums in JSON as exactly one of their kebab-case names, and nothing else. The framework's
/// <see cref="JsonStringEnumConverter"/> also reads a comma-separated list of names as the OR of their values,
/// flags or not: <c>"paid,fulfilled"</c> was read as <c>cancelled</c> and cancelled the order, and
/// <c>"withdrawal,cancellation"</c> as a request type the platform does not have, filed, after which every read
/// of the user's requests failed. Here a value that is not one name is refused as any malformed member is (400).
/// Writing is the framework's own converter's, so answers and the OpenAPI document keep their names.
/// </summary>
public sealed class ExactEnumNames : JsonConverterFactory
{
    private readonly JsonStringEnumConverter _names = new(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false);

    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    /// <summary>The names of <paramref name="enumType"/>'s members as the API writes and reads them, in declaration order.</summary>
    public static IReadOnlyList<string> NamesOf(Type enumType, JsonSerializerOptions options) =>
        [.. Enum.GetValues(enumType).Cast<object>().Distinct().Select(value => JsonSerializer.Deserialize<string>(JsonSerializer.Serialize(value, enumType, options))!)];

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Exact<>).MakeGenericType(typeToConvert), _names.CreateConverter(typeToConvert, options))!;

    private sealed class Exact<T>(JsonConverter<T> names) : JsonConverter<T>
        where T : struct, Enum
    {
        // The names the framework's converter writes for the declared members: what a client may send.
        // (Distinct: two members of one value, should an enum ever have them, are written under one name.)
        private readonly Dictionary<string, T> _byName = Enum.GetValues<T>().Distinct().ToDictionary(value => NameOf(names, value), StringComparer.Ordinal);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && _byName.TryGetValue(reader.GetString()!, out var value)
                ? value
                : throw new JsonException($"Not one of the names of {typeof(T).Name}.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => names.Write(writer, value, options);

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            _byName.TryGetValue(reader.GetString()!, out var value) ? value : throw new JsonException($"Not one of the names of {typeof(T).Name}.");

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            names.WriteAsPropertyName(writer, value, options);

        private static string NameOf(JsonConverter<T> names, T value)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                names.Write(writer, value, new JsonSerializerOptions());
            }

            return JsonSerializer.Deserialize<string>(buffer.ToArray())!;
        }
    }
}
