using MeiLing.Grains.Platform;

namespace MeiLing.Tests.Unit.Platform;

public sealed class NewestFirstPagesTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(10)]
    public async Task P4_4_every_row_is_read_once_newest_first_a_page_at_a_time_even_where_rows_share_an_instant(int pageSize)
    {
        // Rows keyed by their time alone, several of them at the same instant (a page boundary falls inside them).
        var table = new[] { 9, 8, 8, 8, 7, 5, 5, 4, 4, 4, 4, 4, 1 }
            .Select((minute, row) => (At: Noon.AddMinutes(minute), Row: $"row {row}"))
            .ToList();
        var reads = new List<int>();

        Task<IReadOnlyList<(DateTimeOffset At, string Row)>> Read(NewestFirstPages.Bound bound)
        {
            IEnumerable<(DateTimeOffset At, string Row)> rows = bound switch
            {
                { At: null } => table,
                { Comparison: "<", At: { } before } => table.Where(row => row.At < before),
                { Comparison: "=", At: { } at } => table.Where(row => row.At == at),
                _ => throw new InvalidOperationException(bound.Comparison),
            };
            var page = rows.OrderByDescending(row => row.At).Take(bound.Limit).ToList();
            reads.Add(page.Count);
            return Task.FromResult<IReadOnlyList<(DateTimeOffset At, string Row)>>(page);
        }

        var read = new List<string>();
        await foreach (var row in NewestFirstPages.ReadAsync(Read, pageSize))
        {
            read.Add(row);
        }

        Assert.Equal(table.Select(row => row.Row).Order(), read.Order());
        Assert.Equal(read.Count, read.Distinct().Count());
        Assert.Equal(table.Select(row => row.At), read.Select(row => table.Single(entry => entry.Row == row).At));
        // A read takes at most a page, but for the rows of one instant, read whole (the five at minute 4).
        Assert.All(reads, count => Assert.True(count <= Math.Max(pageSize, 5), $"a read of {count} rows"));
    }

    [Fact]
    public void The_condition_names_the_column_and_the_third_parameter_and_none_on_the_first_page()
    {
        Assert.Equal("", new NewestFirstPages.Bound("<", null, 10).Condition("at"));
        Assert.Equal(" AND d.at < $3", new NewestFirstPages.Bound("<", Noon, 10).Condition("d.at"));
        Assert.Equal(["u_1", 10], new NewestFirstPages.Bound("<", null, 10).Parameters("u_1"));
        Assert.Equal(["u_1", 10, Noon], new NewestFirstPages.Bound("=", Noon, 10).Parameters("u_1"));
    }
}
