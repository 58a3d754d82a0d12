using MeiLing.Grains.DataRights;

namespace MeiLing.Tests.Unit.DataRights;

public sealed class ExportPartsTests
{
    private const int Bound = 100;

    [Fact]
    public async Task P4_4_a_list_is_cut_into_parts_of_at_most_the_bound_each_holding_its_items_in_order()
    {
        // 1,000 records of 1 to 40 characters: far more than a part holds.
        var items = Enumerable.Range(0, 1_000).Select(i => $"\"{new string('x', i % 39)}\"").ToList();

        var parts = await ToListAsync(ExportParts.ListAsync(["orders"], items.ToAsyncEnumerable(), Bound));

        Assert.True(parts.Count > 1);
        Assert.All(parts, part =>
        {
            Assert.True(part.IsList);
            Assert.Equal(["orders"], part.Path);
            Assert.NotEmpty(part.Json);
            Assert.InRange(part.Size, 1, Bound);
        });
        Assert.Equal(items, parts.SelectMany(part => part.Json));
    }

    [Fact]
    public async Task P4_4_a_record_larger_than_the_bound_is_a_part_of_its_own_and_nothing_joins_it()
    {
        string[] items = ["\"a\"", $"\"{new string('x', Bound * 3)}\"", "\"b\""];

        var parts = await ToListAsync(ExportParts.ListAsync(["tickets"], items.ToAsyncEnumerable(), Bound));

        Assert.Equal([["\"a\""], [items[1]], ["\"b\""]], parts.Select(part => part.Json.ToArray()));
    }

    [Fact]
    public async Task P8_1_an_empty_list_is_one_empty_part_so_the_bundle_still_shows_it()
    {
        var parts = await ToListAsync(ExportParts.ListAsync(["consents", "history"], AsyncEnumerable.Empty<string>(), Bound));

        var part = Assert.Single(parts);
        Assert.Equal(["consents", "history"], part.Path);
        Assert.True(part.IsList);
        Assert.Empty(part.Json);
    }

    private static async Task<List<ExportPart>> ToListAsync(IAsyncEnumerable<ExportPart> parts)
    {
        var list = new List<ExportPart>();
        await foreach (var part in parts)
        {
            list.Add(part);
        }

        return list;
    }
}
