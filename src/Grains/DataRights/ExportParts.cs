namespace MeiLing.Grains.DataRights;

/// <summary>Cuts the access bundle into <see cref="ExportPart"/>s of bounded size (P4.4).</summary>
public static class ExportParts
{
    /// <summary>A part that holds the whole value at <paramref name="path"/>.</summary>
    public static ExportPart Value(string[] path, string json) => new(path, IsList: false, [json]);

    /// <summary>
    /// The list at <paramref name="path"/> as parts of at most <paramref name="maxCharacters"/> characters of JSON
    /// each, its items in order; an item larger than that is a part of its own. An empty list is one empty part, so the
    /// bundle still shows the list.
    /// </summary>
    public static async IAsyncEnumerable<ExportPart> ListAsync(string[] path, IAsyncEnumerable<string> items, int maxCharacters)
    {
        var part = new List<string>();
        var characters = 0;
        var sentAny = false;
        await foreach (var item in items)
        {
            if (part.Count > 0 && characters + item.Length > maxCharacters)
            {
                yield return new ExportPart(path, IsList: true, part);
                (part, characters, sentAny) = ([], 0, true);
            }

            part.Add(item);
            characters += item.Length;
        }

        if (part.Count > 0 || !sentAny)
        {
            yield return new ExportPart(path, IsList: true, part);
        }
    }
}
