using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Validation;

namespace MeiLing.Api.Validation;

#pragma warning disable ASP0029 // The resolver interface is marked for evaluation; the validation it serves is the stable AddValidation.

/// <summary>
/// The minimal API's validation descriptions, built once per type. The resolver the validation source generator writes
/// builds a new description of a request body's type, and of each type it holds, every time it is asked, which the
/// validation does on every request: 2.9 % of an order's CPU in the co-hosted profile (docs/performance.md,
/// twenty-first round). A type's description cannot change while the process runs.
/// </summary>
internal sealed class RememberedValidatableInfo(IValidatableInfoResolver resolver) : IValidatableInfoResolver
{
    private readonly ConcurrentDictionary<Type, IValidatableInfo?> _types = new();

    public bool TryGetValidatableTypeInfo(Type type, [NotNullWhen(true)] out IValidatableInfo? validatableInfo)
    {
        validatableInfo = _types.GetOrAdd(type, static (type, resolver) => resolver.TryGetValidatableTypeInfo(type, out var info) ? info : null, resolver);
        return validatableInfo is not null;
    }

    // Asked once per endpoint parameter, when the endpoint is built.
    public bool TryGetValidatableParameterInfo(ParameterInfo parameterInfo, [NotNullWhen(true)] out IValidatableInfo? validatableInfo) =>
        resolver.TryGetValidatableParameterInfo(parameterInfo, out validatableInfo);

    /// <summary>Wraps every resolver <c>AddValidation</c> registered, after all of them are.</summary>
    public sealed class Setup : IPostConfigureOptions<ValidationOptions>
    {
        public void PostConfigure(string? name, ValidationOptions options)
        {
            for (var i = 0; i < options.Resolvers.Count; i++)
            {
                if (options.Resolvers[i] is not RememberedValidatableInfo)
                {
                    options.Resolvers[i] = new RememberedValidatableInfo(options.Resolvers[i]);
                }
            }
        }
    }
}
