using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeiLing.Api.Apis;

/// <summary>The access bundle as a page a person can read: one section per heading, every value HTML-encoded.</summary>
public static class ExportPage
{
    public static string Render(JsonNode bundle)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>Your data at MeiLing</title>")
            .Append("<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}")
            .Append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}")
            .Append("th{background:#f4f4f4}</style></head><body>")
            .Append("<h1>Your data at MeiLing · 您在美零的个人信息</h1>");
        if (bundle is JsonObject sections)
        {
            foreach (var (name, value) in sections)
            {
                html.Append("<h2>").Append(Encode(name)).Append("</h2>");
                Write(html, value);
            }
        }

        return html.Append("</body></html>").ToString();
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
