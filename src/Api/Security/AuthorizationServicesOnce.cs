using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace MeiLing.Api.Security;

/// <summary>
/// ASP.NET Core registers its authorization services as transient, so every request built a policy evaluator, an
/// authorization service, a policy provider and a handler provider, and looked its handlers up again: about a twentieth
/// of a consent read's allocations (docs/performance.md, thirty-fifth round). None of them keeps state between calls,
/// and the API's policies judge the caller alone (roles and assertions on its claims, <see cref="AuthorizationPolicies"/>),
/// so each is built once. The framework's own implementations stay; only their lifetime changes.
/// </summary>
public static class AuthorizationServicesOnce
{
    private static readonly HashSet<Type> Stateless =
    [
        typeof(IAuthorizationService),
        typeof(IAuthorizationPolicyProvider),
        typeof(IAuthorizationHandlerProvider),
        typeof(IAuthorizationEvaluator),
        typeof(IAuthorizationHandlerContextFactory),
        typeof(IPolicyEvaluator),
    ];

    /// <summary>Makes the framework's transient authorization services singletons; call after <c>AddAuthorization</c>.</summary>
    public static IServiceCollection BuildAuthorizationServicesOnce(this IServiceCollection services)
    {
        // The handler provider, built once, holds its handlers for good: a scoped one would be captured from the root.
        if (services.FirstOrDefault(service => service.ServiceType == typeof(IAuthorizationHandler) && service.Lifetime == ServiceLifetime.Scoped) is { } scoped)
        {
            throw new InvalidOperationException(
                $"{scoped.ImplementationType?.Name ?? "An authorization handler"} is scoped; the authorization services are built once (AuthorizationServicesOnce), so handlers must be singletons or transient.");
        }

        for (var i = 0; i < services.Count; i++)
        {
            if (services[i] is { Lifetime: ServiceLifetime.Transient, IsKeyedService: false, ImplementationType: { } implementation } transient
                && Stateless.Contains(transient.ServiceType))
            {
                services[i] = ServiceDescriptor.Singleton(transient.ServiceType, implementation);
            }
        }

        return services;
    }
}
