using System.IO.Pipelines;
using System.Text.Json;

namespace MeiLing.Api.Apis;

/// <summary>The access bundle as one JSON object, written to <paramref name="body"/> a part at a time.</summary>
internal sealed class ExportJson(PipeWriter body) : ExportDocumentWriter, IAsyncDisposable
{
    // Every record is System.Text.Json's own output (PersonalDataExporter) and is written as it is, unchecked.
    private readonly Utf8JsonWriter _json = StartDocument(body);

    public override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        _json.Flush();
        await body.FlushAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _json.DisposeAsync();

    protected override void StartObject(string name, int depth) => _json.WriteStartObject(name);

    protected override void EndObject(int depth) => _json.WriteEndObject();

    protected override void Value(string name, string json, int depth)
    {
        _json.WritePropertyName(name);
        _json.WriteRawValue(json, skipInputValidation: true);
    }

    protected override void StartList(string name, int depth) => _json.WriteStartArray(name);

    protected override void Item(string json, bool first) => _json.WriteRawValue(json, skipInputValidation: true);

    protected override void EndList(int depth, bool hadItems) => _json.WriteEndArray();

    protected override void EndDocument() => _json.WriteEndObject();

    private static Utf8JsonWriter StartDocument(PipeWriter body)
    {
        var json = new Utf8JsonWriter(body);
        json.WriteStartObject();
        return json;
    }
}
