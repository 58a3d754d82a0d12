using System.Text.Json;
using System.Text.Json.Nodes;
using MeiLing.Grains.DataRights;

namespace MeiLing.Tests.DataRights;

/// <summary>The access bundle as the silo produces it, part by part, for tests that look at the parts or read the bundle without the API.</summary>
internal static class ExportBundle
{
    public static async Task<List<ExportPart>> PartsAsync(this IGrainFactory grains, string userId)
    {
        var parts = new List<ExportPart>();
        await foreach (var part in grains.GetGrain<IAccessExportGrain>(userId).Parts())
        {
            parts.Add(part);
        }

        return parts;
    }

    /// <summary>The parts put together as a tree (a test's users hold little): each path's objects, values and lists.</summary>
    public static JsonElement Assemble(IEnumerable<ExportPart> parts)
    {
        var bundle = new JsonObject();
        foreach (var part in parts)
        {
            var parent = bundle;
            foreach (var name in part.Path.Take(part.Path.Count - 1))
            {
                parent = (JsonObject)(parent[name] ??= new JsonObject());
            }

            var field = part.Path[^1];
            if (!part.IsList)
            {
                parent[field] = JsonNode.Parse(Assert.Single(part.Json));
                continue;
            }

            var list = (JsonArray)(parent[field] ??= new JsonArray());
            foreach (var item in part.Json)
            {
                list.Add(JsonNode.Parse(item));
            }
        }

        return JsonSerializer.SerializeToElement(bundle);
    }
}
