using MeiLing.Grains.Catalogue;
using MeiLing.Grains;

namespace MeiLing.Tests.Unit.Retail;

public sealed class StockRulesTests
{
    [Fact]
    public void An_untracked_product_covers_any_sale()
    {
        var stock = new ProductStockState();

        Assert.True(stock.Covers(1_000));
        Assert.Null(stock.Stock);
    }

    [Fact]
    public void A_tracked_product_covers_only_what_it_holds()
    {
        var stock = new ProductStockState();
        stock.Apply("opening", 3);

        Assert.True(stock.Covers(3));
        Assert.False(stock.Covers(4));
    }

    [Fact]
    public void Going_below_zero_is_refused_and_changes_nothing()
    {
        var stock = new ProductStockState();
        stock.Apply("opening", 2);

        var refused = Assert.Throws<DomainException>(() => stock.Apply("damage", -3));

        Assert.Equal("stock-below-zero", refused.Code);
        Assert.Equal(2, stock.Stock);
        Assert.Null(stock.Find("damage"));
    }

    [Fact]
    public void An_applied_movement_is_remembered_with_the_stock_it_left()
    {
        var stock = new ProductStockState();
        stock.Apply("opening", 5);
        stock.Apply("sale:ord_1", -2);

        Assert.Equal(3, stock.Find("sale:ord_1")!.StockAfter);
    }

    [Fact]
    public void Releasing_a_sale_puts_its_stock_back_and_forgets_it()
    {
        var stock = new ProductStockState();
        stock.Apply("opening", 5);
        stock.Apply("sale:ord_1", -2);

        Assert.Equal(2, stock.Release("sale:ord_1"));
        Assert.Equal(5, stock.Stock);
        Assert.Null(stock.Find("sale:ord_1"));
        Assert.Null(stock.Release("sale:ord_1"));
    }

    [Fact]
    public void A_return_to_a_count_at_the_maximum_is_taken_and_the_count_stays_at_the_maximum()
    {
        var stock = new ProductStockState();
        stock.Apply("opening", 5);
        stock.Apply("sale:ord_1", -2);
        stock.Apply("delivery", ICatalogueGrain.MaxStock - 3);

        Assert.Equal(ICatalogueGrain.MaxStock, stock.Return("refund:rfd_1", 2));
        Assert.Equal(2, stock.Find("refund:rfd_1")!.Delta);
        Assert.Equal(2, stock.Release("sale:ord_1"));
        Assert.Equal(ICatalogueGrain.MaxStock, stock.Stock);
    }
}
