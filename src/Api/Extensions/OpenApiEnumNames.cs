using MeiLing.Api.Validation;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MeiLing.Api.Extensions;

/// <summary>
/// Lists each enum's names in the OpenAPI document. The document's generator reads them off the framework's own enum
/// converter and cannot see through another: with <see cref="ExactEnumNames"/> reading bodies, it would describe every
/// enum as any value, and clients (and the fuzz tests) would lose the names they may send.
/// </summary>
internal sealed class OpenApiEnumNames : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type is { IsEnum: true } type && schema.Enum is null or { Count: 0 })
        {
            schema.Enum = [.. ExactEnumNames.NamesOf(type, context.JsonTypeInfo.Options).Select(name => (System.Text.Json.Nodes.JsonNode)name)];
        }

        return Task.CompletedTask;
    }
}
