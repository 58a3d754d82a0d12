using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeiLing.Api.Apis;

/// <summary>
/// The access bundle as a page a person can read, written a part at a time: one heading per section, an object as a
/// table, a list as a numbered list; every value HTML-encoded. Only one record is parsed at a time.
/// </summary>
internal sealed class ExportPage : ExportDocumentWriter
{
    private readonly PipeWriter _body;
    private readonly StringBuilder _html = new();

    public ExportPage(PipeWriter body)
    {
        _body = body;
        _html.Append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>Your data at MeiLing</title>")
            .Append("<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}")
            .Append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}")
            .Append("th{background:#f4f4f4}</style></head><body>")
            .Append("<h1>Your data at MeiLing · 您在美零的个人信息</h1>")
            // A download cut short (a failure after the first part was sent ends the connection) is a page a browser shows
            // as whole (*reviewer*): this line says otherwise until the page's last part hides it and says where it ends.
            .Append("<p id=\"incomplete\"><strong>本页不完整,请重新下载。This page is incomplete: the download stopped before the end of your data; download it again.</strong></p>");
    }

    public override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var chunk in _html.GetChunks())
        {
            Encoding.UTF8.GetBytes(chunk.Span, _body);
        }

        _html.Clear();
        await _body.FlushAsync(cancellationToken);
    }

    protected override void StartObject(string name, int depth) => Name(name, depth).Append("<table>");

    protected override void EndObject(int depth) => EndName(_html.Append("</table>"), depth);

    protected override void Value(string name, string json, int depth)
    {
        Write(Name(name, depth), JsonNode.Parse(json));
        EndName(_html, depth);
    }

    protected override void StartList(string name, int depth) => Name(name, depth);

    protected override void Item(string json, bool first)
    {
        if (first)
        {
            _html.Append("<ol>");
        }

        Write(_html.Append("<li>"), JsonNode.Parse(json));
        _html.Append("</li>");
    }

    protected override void EndList(int depth, bool hadItems) => EndName(_html.Append(hadItems ? "</ol>" : "<em>none</em>"), depth);

    protected override void EndDocument() => _html
        .Append("<style>#incomplete{display:none}</style><p id=\"end-of-data\">— 以上是您的全部数据 · The end of your data —</p></body></html>");

    // A section of the bundle is a heading; a field of an object, a row of its table.
    private StringBuilder Name(string name, int depth) =>
        depth == 0 ? _html.Append("<h2>").Append(Encode(name)).Append("</h2>") : _html.Append("<tr><th>").Append(Encode(name)).Append("</th><td>");

    private static void EndName(StringBuilder html, int depth)
    {
        if (depth > 0)
        {
            html.Append("</td></tr>");
        }
    }

    private static void Write(StringBuilder html, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                html.Append("<table>");
                foreach (var (key, value) in obj)
                {
                    html.Append("<tr><th>").Append(Encode(key)).Append("</th><td>");
                    Write(html, value);
                    html.Append("</td></tr>");
                }

                html.Append("</table>");
                break;
            case JsonArray array when array.Count == 0:
                html.Append("<em>none</em>");
                break;
            case JsonArray array:
                html.Append("<ol>");
                foreach (var item in array)
                {
                    html.Append("<li>");
                    Write(html, item);
                    html.Append("</li>");
                }

                html.Append("</ol>");
                break;
            case JsonValue value:
                html.Append(Encode(value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString()));
                break;
            default:
                html.Append("<em>—</em>");
                break;
        }
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
