using MeiLing.Grains.Platform;

namespace MeiLing.Tests.Unit.Platform;

public sealed class EntityIdTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_id_in_time_order_has_the_shape_of_every_other_id_so_every_route_takes_it()
    {
        var id = EntityId.NewInTimeOrder(EntityId.OrderPrefix, Noon);

        Assert.True(EntityId.IsWellFormed(id, EntityId.OrderPrefix));
        Assert.Equal(EntityId.New(EntityId.OrderPrefix).Length, id.Length);
    }

    [Fact]
    public void Ids_made_later_sort_after_earlier_ones_as_the_database_sorts_text_by_bytes()
    {
        var times = new[] { Noon, Noon.AddMilliseconds(1), Noon.AddSeconds(1), Noon.AddDays(1), Noon.AddYears(30) };

        var ids = times.Select(at => EntityId.NewInTimeOrder(EntityId.OrderPrefix, at)).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Ids_made_in_the_same_millisecond_still_differ_by_their_random_part()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => EntityId.NewInTimeOrder(EntityId.PaymentPrefix, Noon)).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Single(ids.Select(id => id[..(EntityId.PaymentPrefix.Length + 11)]).Distinct());
    }
}
