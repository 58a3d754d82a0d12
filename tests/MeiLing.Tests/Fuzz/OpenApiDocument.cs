using System.Text.Json;

namespace MeiLing.Tests.Fuzz;

internal sealed record ApiParameter(string Name, string In, JsonElement Schema);

/// <summary>One operation of the API's OpenAPI document: its method, path template, parameters and JSON body schema.</summary>
internal sealed record ApiOperation(string Method, string PathTemplate, IReadOnlyList<ApiParameter> Parameters, JsonElement? BodySchema)
{
    public IEnumerable<ApiParameter> In(string location) => Parameters.Where(parameter => parameter.In == location);

    public override string ToString() => $"{Method} {PathTemplate}";
}

/// <summary>Reads operations and schemas out of the OpenAPI 3.1 document the API publishes.</summary>
internal sealed class OpenApiDocument(JsonElement root)
{
    public IReadOnlyList<ApiOperation> Operations()
    {
        var operations = new List<ApiOperation>();
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var parameters = operation.Value.TryGetProperty("parameters", out var list)
                    ? list.EnumerateArray().Select(parameter => new ApiParameter(
                        parameter.GetProperty("name").GetString()!, parameter.GetProperty("in").GetString()!, parameter.GetProperty("schema"))).ToList()
                    : [];
                JsonElement? body = operation.Value.TryGetProperty("requestBody", out var requestBody)
                    && requestBody.GetProperty("content").TryGetProperty("application/json", out var json)
                        ? json.GetProperty("schema")
                        : null;
                operations.Add(new ApiOperation(operation.Name.ToUpperInvariant(), path.Name, parameters, body));
            }
        }

        return operations;
    }

    /// <summary>The schema itself: references followed, and of a "null or X" union, X.</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        while (true)
        {
            if (schema.TryGetProperty("$ref", out var reference))
            {
                schema = root.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
            }
            else if (schema.TryGetProperty("oneOf", out var union) || schema.TryGetProperty("anyOf", out union))
            {
                schema = union.EnumerateArray().First(alternative => TypeOf(alternative) != "null");
            }
            else
            {
                return schema;
            }
        }
    }

    /// <summary>object, array, string, integer, number, boolean, enum, null, or ref (not resolved yet).</summary>
    public static string TypeOf(JsonElement schema)
    {
        if (schema.TryGetProperty("enum", out _))
        {
            return "enum";
        }

        if (!schema.TryGetProperty("type", out var type))
        {
            return schema.TryGetProperty("$ref", out _) || schema.TryGetProperty("oneOf", out _) || schema.TryGetProperty("anyOf", out _) ? "ref" : "object";
        }

        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(item => item.GetString()!).FirstOrDefault(name => name != "null") ?? "null"
            : type.GetString()!;
    }
}
