using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;

namespace MeiLing.Tests.Api;

/// <summary>
/// The OpenAPI document tells the whole truth: every operation says what it does, every status it can answer
/// (each refusal as problem+json), what each success returns, and which credentials it takes; a client generated
/// from it compiles.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OpenApiContractTests(PlatformFixture platform)
{
    private const string ProblemJson = "application/problem+json";

    [Fact]
    public async Task Every_operation_is_described_with_its_refusals_its_successes_and_its_credentials()
    {
        var document = await DocumentAsync();
        var problems = new List<string>();

        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                var body = operation.Value;
                var responses = body.GetProperty("responses");
                var anonymous = !body.TryGetProperty("security", out var security) || security.GetArrayLength() == 0;

                if (!body.TryGetProperty("description", out var description) || string.IsNullOrWhiteSpace(description.GetString()))
                {
                    problems.Add($"{name}: no description");
                }

                var expected = new List<string> { "400", "429" };
                if (!anonymous)
                {
                    expected.AddRange(["401", "403"]);
                }

                if (path.Name.Contains("Id}", StringComparison.Ordinal))
                {
                    expected.Add("404");
                }

                if (body.TryGetProperty("requestBody", out _))
                {
                    expected.Add("413");
                }

                problems.AddRange(expected.Where(status => !responses.TryGetProperty(status, out _)).Select(status => $"{name}: does not declare {status}"));

                foreach (var response in responses.EnumerateObject())
                {
                    var hasContent = response.Value.TryGetProperty("content", out var content);
                    if (response.Name.StartsWith('4') && !(hasContent && content.TryGetProperty(ProblemJson, out var problem) && problem.TryGetProperty("schema", out _)))
                    {
                        problems.Add($"{name}: {response.Name} is not problem+json with a schema");
                    }

                    if (response.Name.StartsWith('2') && hasContent && content.EnumerateObject().Any(media => !media.Value.TryGetProperty("schema", out _)))
                    {
                        problems.Add($"{name}: {response.Name} has content without a schema");
                    }

                    if (response.Name == "200" && !hasContent)
                    {
                        problems.Add($"{name}: 200 has no content");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task Anonymous_routes_name_no_credentials_and_the_others_name_their_callers_schemes()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");

        Assert.Empty(Schemes(paths, "/v1/sessions", "post"));
        Assert.Empty(Schemes(paths, "/v1/verification-codes", "post"));
        Assert.Equal(["Bearer"], Schemes(paths, "/v1/users/{userId}/password", "post"));
        Assert.Equal(["ApiKey"], Schemes(paths, "/v1/merchants", "post"));
        Assert.Equal(["ApiKey", "Bearer"], Schemes(paths, "/v1/users/{userId}", "get"));
    }

    [Fact]
    public async Task A_csharp_client_generated_from_the_document_compiles()
    {
        var json = (await platform.Client().GetStringAsync("/openapi/v1.json"));
        var document = await NSwag.OpenApiDocument.FromJsonAsync(json);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "MeiLingClient",
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
        };
        settings.CSharpGeneratorSettings.Namespace = "MeiLing.Generated";
        settings.CSharpGeneratorSettings.JsonLibrary = NJsonSchema.CodeGeneration.CSharp.CSharpJsonLibrary.SystemTextJson;
        var code = new CSharpClientGenerator(document, settings).GenerateFile();

        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "MeiLing.Generated", [CSharpSyntaxTree.ParseText(code)], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var assembly = new MemoryStream();
        var emitted = compilation.Emit(assembly);

        var errors = emitted.Diagnostics.Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error).Select(diagnostic => diagnostic.ToString()).ToList();
        Assert.True(emitted.Success, string.Join(Environment.NewLine, errors.Take(20)));
    }

    private async Task<JsonElement> DocumentAsync() =>
        JsonDocument.Parse(await platform.Client().GetStringAsync("/openapi/v1.json")).RootElement;

    private static List<string> Schemes(JsonElement paths, string path, string method) =>
        paths.GetProperty(path).GetProperty(method).TryGetProperty("security", out var security)
            ? [.. security.EnumerateArray().SelectMany(requirement => requirement.EnumerateObject().Select(scheme => scheme.Name)).Order(StringComparer.Ordinal)]
            : [];
}
