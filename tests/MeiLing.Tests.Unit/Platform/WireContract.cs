using System.Reflection;
using Orleans;
using Orleans.Runtime;

namespace MeiLing.Tests.Unit.Platform;

/// <summary>
/// What silos and API hosts of two releases must agree on while a rolling upgrade mixes them: each grain
/// interface's methods by alias, with their parameter and return types, and each serialized type's members by
/// id. One sorted line each, so a change shows as a line gone and a line come.
/// </summary>
public static class WireContract
{
    public static IReadOnlyList<string> Of(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (var type in assembly.GetTypes())
        {
            if (type.IsInterface && typeof(IAddressable).IsAssignableFrom(type))
            {
                lines.AddRange(GrainMethods(type));
            }
            else if (type.GetCustomAttribute<GenerateSerializerAttribute>() is not null)
            {
                lines.AddRange(type.IsEnum ? EnumMembers(type) : SerializedMembers(type));
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static IEnumerable<string> GrainMethods(Type grain)
    {
        var grainAlias = AliasOf(grain);
        foreach (var method in grain.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        {
            var parameters = string.Join(", ", method.GetParameters().Select(p => NameOf(p.ParameterType)));
            yield return $"grain {grainAlias} {AliasOf(method)}({parameters}) -> {NameOf(method.ReturnType)}";
        }
    }

    private static IEnumerable<string> SerializedMembers(Type type)
    {
        const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var alias = AliasOf(type);
        var members = type.GetProperties(Declared).Select(p => (Member: (MemberInfo)p, Type: p.PropertyType))
            .Concat(type.GetFields(Declared).Select(f => (Member: (MemberInfo)f, Type: f.FieldType)));
        foreach (var (member, memberType) in members)
        {
            if (member.GetCustomAttribute<IdAttribute>() is { } id)
            {
                yield return $"type {alias} #{id.Id} {NameOf(memberType)}";
            }
        }
    }

    private static IEnumerable<string> EnumMembers(Type type) =>
        Enum.GetNames(type).Select(name => $"enum {AliasOf(type)} {name}={Convert.ToInt64(Enum.Parse(type, name), System.Globalization.CultureInfo.InvariantCulture)}");

    // Without an alias the wire name is the CLR name: still part of the contract, marked so a reader sees the risk.
    private static string AliasOf(MemberInfo member) => member.GetCustomAttribute<AliasAttribute>()?.Alias ?? $"[no alias: {member.Name}]";

    private static string NameOf(Type type)
    {
        if (type.IsArray)
        {
            return NameOf(type.GetElementType()!) + "[]";
        }

        if (!type.IsGenericType)
        {
            return type.GetCustomAttribute<AliasAttribute>()?.Alias ?? type.Name;
        }

        var name = type.GetCustomAttribute<AliasAttribute>()?.Alias ?? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
        return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(NameOf))}>";
    }
}
