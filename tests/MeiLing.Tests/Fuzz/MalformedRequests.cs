using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeiLing.Tests.Fuzz;

/// <summary>
/// Builds malformed requests for every operation of the OpenAPI document and every caller, from one seed:
/// a plausible request per operation, then variants that break one thing each — the body (random bytes,
/// wrong JSON types per property, missing members, huge strings, deep nesting, odd Unicode), the path
/// (dot segments, encoded slashes, long ids, ids of another kind), the query, headers, content type, method.
/// </summary>
internal sealed class MalformedRequests(OpenApiDocument document, FuzzTargets targets, IReadOnlyList<FuzzCaller> callers, int seed)
{
    private const string Placeholder = "__FUZZ_RAW__";
    private const int Within64K = 60_000;
    private const int Beyond64K = 70_000;

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "PROPFIND"];

    // JSON string literals, escaped as a client would send them.
    private static readonly string[] OddStrings =
    [
        "\"\\ud800\"", "\"x\\udc00y\"", "\"\\u202eevil\\u202c\"", "\"\\u200f\\u200e\"", "\"a\\u0000b\"", "\"😀👩‍👩‍👧\"",
        "\"𠜎𠜱𠝹\"", "\"\\ufeff\"", "\"e\\u0301\\u0301\\u0301\"", "\"\\uffff\\ufffe\"", "\"\\r\\n\\t\"", "\"' OR 1=1 --\"",
        "\"<script>alert(1)</script>\"", "\"${jndi:ldap://x/a}\"", "\"{0}{1}%s%n\"", "\"" + string.Concat(Enumerable.Repeat("😀", 1000)) + "\"",
        "\"   \"", "\"\"",
    ];

    private readonly Random _random = new(seed);
    private readonly Dictionary<string, int> _credentialTurn = [];
    private int _oddTurn;

    public List<FuzzRequest> All()
    {
        var operations = document.Operations();
        var requests = new List<FuzzRequest>();
        foreach (var caller in callers)
        {
            foreach (var operation in operations)
            {
                requests.AddRange(ForOperation(operation, caller));
            }

            foreach (var path in operations.GroupBy(operation => operation.PathTemplate))
            {
                var documented = path.Select(operation => operation.Method).ToHashSet();
                foreach (var method in Methods.Where(method => !documented.Contains(method)))
                {
                    requests.Add(Request(caller, path.Key, "wrong method", method, Fill(path.Key, targets.Own)));
                }
            }
        }

        return requests;
    }

    private IEnumerable<FuzzRequest> ForOperation(ApiOperation operation, FuzzCaller caller)
    {
        var name = operation.ToString();
        var path = Fill(operation.PathTemplate, targets.Own);
        var baseline = operation.BodySchema is { } schema ? Baseline(schema, null) : null;
        var body = baseline?.ToJsonString();
        yield return Request(caller, name, "plausible", operation.Method, path, body: body);

        foreach (var parameter in operation.In("path"))
        {
            foreach (var (kind, value) in PathValues(parameter.Name))
            {
                yield return Request(caller, name, $"path {parameter.Name}: {kind}", operation.Method,
                    Fill(operation.PathTemplate, new Dictionary<string, string>(targets.Own) { [parameter.Name] = value }), body: body);
            }

            // Another user's ids: reads as they are; writes only with a body that can never be valid, so
            // that a role allowed to act for any user (support) cannot change the bystander legitimately.
            if (targets.Bystander.TryGetValue(parameter.Name, out var theirs))
            {
                yield return Request(caller, name, $"path {parameter.Name}: the bystander's", operation.Method,
                    Fill(operation.PathTemplate, new Dictionary<string, string>(targets.Own) { [parameter.Name] = theirs }),
                    body: operation.BodySchema is null ? null : "[]");
            }
        }

        foreach (var parameter in operation.In("query"))
        {
            foreach (var (kind, query) in QueryValues(parameter.Name))
            {
                yield return Request(caller, name, $"query {parameter.Name}: {kind}", operation.Method, path, query: query, body: body);
            }
        }

        foreach (var parameter in operation.In("header"))
        {
            foreach (var (kind, value) in HeaderValues())
            {
                yield return Request(caller, name, $"header {parameter.Name}: {kind}", operation.Method, path, body: body, header: (parameter.Name, value));
            }
        }

        if (baseline is null)
        {
            yield break;
        }

        foreach (var (kind, bytes) in WholeBodies(body!))
        {
            yield return Request(caller, name, $"body: {kind}", operation.Method, path, raw: bytes);
        }

        foreach (var contentType in ContentTypes())
        {
            yield return Request(caller, name, $"content type: {contentType ?? "none"}", operation.Method, path, body: body, contentType: contentType);
        }

        foreach (var slot in Slots(baseline, []))
        {
            foreach (var (kind, raw) in SlotValues(slot.Node))
            {
                yield return Request(caller, name, $"member {string.Join('.', slot.Path)}: {kind}", operation.Method, path, body: Mutate(baseline, slot.Path, raw));
            }
        }
    }

    /// <summary>A value the schema accepts, chosen by member name where the name says what is plausible.</summary>
    private JsonNode? Baseline(JsonElement schema, string? name)
    {
        schema = document.Resolve(schema);
        switch (OpenApiDocument.TypeOf(schema))
        {
            case "enum":
                return JsonValue.Create(name is not null && targets.Values.TryGetValue(name, out var chosen) ? chosen : schema.GetProperty("enum")[0].GetString());
            case "object":
                var members = new JsonObject();
                if (schema.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        members[property.Name] = Baseline(property.Value, property.Name);
                    }
                }

                return members;
            case "array":
                return new JsonArray(Baseline(schema.GetProperty("items"), name));
            case "integer":
                return JsonValue.Create(schema.TryGetProperty("minimum", out var minimum) ? (long)minimum.GetDouble() : 1L);
            case "number":
                return JsonValue.Create(1.5);
            case "boolean":
                return JsonValue.Create(false);
            default:
                return JsonValue.Create(
                    name is not null && targets.Values.TryGetValue(name, out var known) ? known
                    : schema.TryGetProperty("format", out var format) && format.GetString() == "date" ? "1990-01-01"
                    : "fuzz");
        }
    }

    private IEnumerable<(string Kind, string Value)> PathValues(string parameter)
    {
        var own = targets.Own.GetValueOrDefault(parameter, "x");
        var otherKind = targets.Own.Where(pair => pair.Key != parameter && pair.Value.Contains('_')).Select(pair => pair.Value).FirstOrDefault() ?? "mer_x";
        return
        [
            ("an id of another kind", otherKind),
            ("dot segment", ".."),
            ("dot segments", "../../v1/staff"),
            ("encoded dots", "%2e%2e"),
            ("encoded slashes", "..%2F..%2Fstaff"),
            ("id with an encoded slash", own + "%2Fx"),
            ("10000 characters", new string('a', 10_000)),
            ("id prefix and 300 characters", own[..Math.Min(4, own.Length)] + new string('a', 300)),
            ("upper case", own.ToUpperInvariant()),
            ("one character short", own[..^1]),
            ("NUL", own + "\0"),
            ("encoded NUL", "%00"),
            ("blank", " "),
            ("empty", ""),
            ("CJK", "用户"),
            ("emoji", "😀"),
            ("RTL override", "\u202e" + own),
            ("lone surrogate", "\ud800"),
            ("SQL", "' OR 1=1 --"),
            ("route template", "{userId}"),
        ];
    }

    private static IEnumerable<(string Kind, string Query)> QueryValues(string parameter)
    {
        string[] values =
        [
            "abc", "-1", "0", "99999999999999999999", "", new string('9', 5_000), "1.5", "%00", "%F0%9F%98%80", "%zz", "AAAA", "fHw",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("99999999999999999999|x")).TrimEnd('='),
            Convert.ToBase64String(Encoding.UTF8.GetBytes("1|" + new string('x', 100))).TrimEnd('='), new string('a', 300), "true",
        ];
        foreach (var value in values)
        {
            yield return (value.Length > 24 ? $"{value[..12]}… ({value.Length})" : $"'{value}'", $"?{parameter}={value}");
        }

        yield return ("given twice", $"?{parameter}=1&{parameter}=2");
        yield return ("no value", $"?{parameter}");
    }

    private static IEnumerable<(string Kind, string Value)> HeaderValues() =>
    [
        ("10000 characters", new string('k', 10_000)),
        ("empty", ""),
        ("dot segments", "../.."),
        ("CJK", "键"),
    ];

    private IEnumerable<(string Kind, byte[] Bytes)> WholeBodies(string plausible)
    {
        var members = plausible.Length > 2 ? plausible[1..^1] : "";
        (string, string)[] texts =
        [
            ("empty", ""),
            ("null", "null"),
            ("an array", "[]"),
            ("a number", "0"),
            ("a string", "\"x\""),
            ("cut in half", plausible[..(plausible.Length / 2)]),
            ("an open brace", "{"),
            ("a comment", "/* c */" + plausible),
            ("a trailing comma", plausible[..^1] + ",}"),
            ("every member twice", "{" + members + (members.Length > 0 ? "," : "") + members + "}"),
            ("a byte order mark", "\ufeff" + plausible),
            ("arrays 10000 deep", new string('[', 10_000) + new string(']', 10_000)),
            ("objects 10000 deep", string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000)),
            ("33 levels deep", string.Concat(Enumerable.Repeat("{\"a\":", 33)) + "1" + new string('}', 33)),
            ("beyond 64 KB", "{\"x\":\"" + new string('x', Beyond64K) + "\"}"),
            ("NUL characters", "\0\0\0"),
        ];
        foreach (var (kind, text) in texts)
        {
            yield return (kind, Encoding.UTF8.GetBytes(text));
        }

        foreach (var length in new[] { 1, 16, 512, 4_096 })
        {
            var bytes = new byte[length];
            _random.NextBytes(bytes);
            yield return ($"{length} random bytes", bytes);
        }

        yield return ("invalid UTF-8", [.. "{\"name\":\""u8, 0xC3, 0x28, 0xFF, .. "\"}"u8]);
        yield return ("UTF-16", Encoding.Unicode.GetBytes(plausible));
    }

    private static IEnumerable<string?> ContentTypes() =>
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", null,
        "application/json; charset=utf-16", "application/json; charset=bogus-8", "application/json; charset=", "application/vnd.api+json", "application/json, text/plain", "*/*",
    ];

    private IEnumerable<(string Kind, string? Raw)> SlotValues(JsonNode? node)
    {
        yield return ("missing", null);
        yield return ("null", "null");
        var kind = node?.GetValueKind() ?? JsonValueKind.Null;
        if (kind != JsonValueKind.Number)
        {
            yield return ("a number", "12345");
        }

        if (kind != JsonValueKind.String)
        {
            yield return ("a string", "\"not what it wants\"");
        }

        if (kind is not (JsonValueKind.True or JsonValueKind.False))
        {
            yield return ("a boolean", "true");
        }

        if (kind != JsonValueKind.Array)
        {
            yield return ("an array", "[]");
        }

        if (kind != JsonValueKind.Object)
        {
            yield return ("an object", "{}");
        }

        switch (kind)
        {
            case JsonValueKind.String:
                yield return ("a string within 64 KB", "\"" + new string('a', Within64K) + "\"");
                yield return ("a string beyond 64 KB", "\"" + new string('a', Beyond64K) + "\"");
                for (var i = 0; i < 3; i++)
                {
                    var odd = OddStrings[_oddTurn++ % OddStrings.Length];
                    yield return ($"odd Unicode {odd[..Math.Min(odd.Length, 16)]}", odd);
                }

                break;
            case JsonValueKind.Number:
                yield return ("a numeric string", "\"1\"");
                yield return ("NaN", "\"NaN\"");
                yield return ("negative", "-1");
                yield return ("zero", "0");
                yield return ("beyond 64 bits", "9223372036854775808");
                yield return ("a fraction", "1.5");
                yield return ("beyond double", "1e400");
                break;
            case JsonValueKind.Array:
                yield return ("101 items", "[" + string.Join(',', Enumerable.Repeat(node![0]?.ToJsonString() ?? "null", 101)) + "]");
                yield return ("nested 10000 deep", new string('[', 10_000) + new string(']', 10_000));
                break;
            case JsonValueKind.Object:
                yield return ("nested 10000 deep", string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000));
                break;
        }
    }

    private static IEnumerable<(List<object> Path, JsonNode? Node)> Slots(JsonNode? node, List<object> path)
    {
        switch (node)
        {
            case JsonObject members:
                foreach (var (name, value) in members)
                {
                    List<object> inner = [.. path, name];
                    yield return (inner, value);
                    foreach (var slot in Slots(value, inner))
                    {
                        yield return slot;
                    }
                }

                break;
            case JsonArray { Count: > 0 } items:
                List<object> first = [.. path, 0];
                yield return (first, items[0]);
                foreach (var slot in Slots(items[0], first))
                {
                    yield return slot;
                }

                break;
        }
    }

    /// <summary>The plausible body with one member replaced by raw JSON text, or removed (raw null).</summary>
    private static string Mutate(JsonNode baseline, List<object> path, string? raw)
    {
        var copy = baseline.DeepClone();
        var parent = path.SkipLast(1).Aggregate(copy, (node, step) => step is string name ? node[name]! : node[(int)step]!);
        switch (path[^1], parent)
        {
            case (string name, JsonObject members) when raw is null:
                members.Remove(name);
                break;
            case (string name, JsonObject members):
                members[name] = Placeholder;
                break;
            case (int, JsonArray items) when raw is null:
                items.Clear();
                break;
            case (int index, JsonArray items):
                items[index] = Placeholder;
                break;
        }

        return copy.ToJsonString().Replace($"\"{Placeholder}\"", raw, StringComparison.Ordinal);
    }

    private static string Fill(string template, IReadOnlyDictionary<string, string> values) =>
        values.Aggregate(template, (path, pair) => path.Replace("{" + pair.Key + "}", pair.Value, StringComparison.Ordinal));

    private FuzzRequest Request(
        FuzzCaller caller, string operation, string kind, string method, string path, string query = "", string? body = null,
        byte[]? raw = null, string? contentType = "application/json", (string Name, string Value)? header = null)
    {
        var turn = _credentialTurn.GetValueOrDefault(caller.Name);
        _credentialTurn[caller.Name] = turn + 1;
        var headers = caller.Credentials.Count == 0 ? [] : new Dictionary<string, string>(caller.Credentials[turn % caller.Credentials.Count]);
        if (header is { } extra)
        {
            headers[extra.Name] = extra.Value;
        }

        var bytes = raw ?? (body is null ? null : Encoding.UTF8.GetBytes(body));
        return new FuzzRequest(caller.Name, operation, kind, method, path, query, bytes is null ? null : contentType, bytes, headers);
    }
}
