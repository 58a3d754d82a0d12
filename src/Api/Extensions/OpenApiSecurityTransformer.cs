using MeiLing.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MeiLing.Api.Extensions;

/// <summary>
/// Describes the API's credentials in the OpenAPI document, so the browsable UI and generated clients can send
/// them: each operation names the schemes its roles use (an API key for operators, merchants and support, a
/// bearer session for users), and an anonymous one names none.
/// </summary>
internal sealed class OpenApiSecurityTransformer(IAuthorizationPolicyProvider policies) : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    private const string BearerScheme = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "MeiLing API";
        document.Info.Description = "The HTTP contract of the MeiLing platform: apps, support tools and operators.";
        // No server named from the request's Host header: the document is built once and kept for every caller
        // (OpenApiDocumentCache), and a client resolves the paths against where it read the document.
        document.Servers = [];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = "Operator, merchant or support API key.",
        };
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A user's session token from POST /v1/sessions (browsers may send the session cookie instead: __Host-meiling_session over https, meiling_session over http).",
        };
        return Task.CompletedTask;
    }

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (string.IsNullOrEmpty(operation.Description))
        {
            // The summaries are whole sentences: they are the description a client's documentation shows.
            operation.Description = operation.Summary;
        }

        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = null;
            return;
        }

        var roles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var policyName in metadata.OfType<IAuthorizeData>().Select(data => data.Policy).OfType<string>())
        {
            if (await policies.GetPolicyAsync(policyName) is { } policy)
            {
                roles.UnionWith(policy.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>()
                    .SelectMany(requirement => requirement.AllowedRoles));
            }
        }

        // A route that names no policy admits any caller: both schemes.
        var userSession = roles.Count == 0 || roles.Contains(Roles.User);
        var apiKey = roles.Count == 0 || roles.Any(role => role != Roles.User);
        operation.Security = [];
        if (apiKey)
        {
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, context.Document)] = [],
            });
        }

        if (userSession)
        {
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [],
            });
        }
    }
}
