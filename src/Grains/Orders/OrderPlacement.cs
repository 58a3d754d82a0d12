using MeiLing.Grains.Catalogue;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using Microsoft.Extensions.Logging;

namespace MeiLing.Grains.Orders;

/// <summary>
/// What placing an order checks and takes before anything is written: the prices from this silo's copy of the
/// catalogue, the merchant open for business, the customer's consent gate, and the stock. Shared by the order grain
/// (a walk-in sale under an idempotency key) and <see cref="NewOrders"/> (every other new order).
/// </summary>
public sealed partial class OrderPlacement(IGrainFactory grains, SiloFacts facts, AllowanceLeases allowances, TimeProvider clock, ILogger<OrderPlacement> logger)
{
    /// <summary>
    /// The state of <paramref name="orderId"/> placed by <paramref name="command"/>; nothing of it written yet.
    /// <paramref name="customerGate"/> is the customer's own grain placing the order in its turn: its gate is asked
    /// directly, not called.
    /// </summary>
    public async Task<OrderState> PrepareAsync(string orderId, PlaceOrder command, IUserConsentGate? customerGate = null)
    {
        if (command.IsWalkIn && command.Delivery is not null)
        {
            throw DomainException.InvalidField("delivery", "delivery-needs-user", "A delivery is for a registered user; a walk-in sale has none.");
        }

        // P4.4 (*reviewer*): a merchant's day this silo was refused is refused here until it ends, before anything is asked,
        // taken or written (so ahead of what else the order may get wrong). Its stock was taken and given back first: a
        // cashier's key looping a 100-line order once the day was spent wrote 200 stock states and 200 movements kept for
        // good per 429, and each asked the day's grain again. The check takes nothing: a sale refused for its stock still
        // spends none of the day.
        var day = DayOf(command);
        allowances.ThrowIfKnownSpent(day, command.MerchantId);

        // From this silo's copy of the catalogue's prices: a call to the catalogue grain only when the copy is not at hand.
        var quote = await facts.QuoteAsync(command.MerchantId, command.Items);
        if (quote.Lines.Sum(line => line.TotalFen) > IOrderGrain.MaxTotalFen)
        {
            throw DomainException.InvalidField("items", "order-too-large", $"An order totals at most {IOrderGrain.MaxTotalFen} fen.");
        }

        var (region, basis) = await CheckCustomerAsync(command, customerGate);
        await TakeStockAsync(orderId, command.MerchantId, quote, command.StaffId);
        // P4.4 (*reviewer*): the merchant's day of sales is taken once the stock is, so a sale refused for its stock spends
        // none of it: one cashier's key looping an out-of-stock SKU spent the whole shop's day in under two minutes, and
        // every till and the owner's key got 429 until midnight. A day found spent here (the first refusal on this silo;
        // those after it are refused above) or an allowance that did not answer gives back what this order took. The order
        // is not placed, and no other attempt under its id is under way: a retry under the same Idempotency-Key reaches the
        // order's one activation, after the attempt before it ended.
        try
        {
            await allowances.TakeSaleAsync(day, command.MerchantId);
        }
        catch (Exception)
        {
            await GiveBackStockAsync(orderId, command.MerchantId, quote.StockedSkus);
            throw;
        }

        var placed = new OrderState();
        placed.Place(command, region, basis, quote, clock.GetUtcNow());
        return placed;
    }

    private static string SaleOf(string orderId) => $"sale:{orderId}";

    // P4.4: the merchant's day an order counts against (its walk-in sales, or its orders for users), as the customer's
    // check below explains.
    private static DailyAllowanceKind DayOf(PlaceOrder command) =>
        command.IsWalkIn ? DailyAllowanceKind.WalkInSalesByMerchant : DailyAllowanceKind.UserOrdersByMerchant;

    private async Task<(string Region, ProcessingBasis? Basis)> CheckCustomerAsync(PlaceOrder command, IUserConsentGate? customerGate)
    {
        var merchant = await facts.MerchantAsync(command.MerchantId)
            ?? throw DomainException.NotFound("merchant-not-found", "No such merchant.");
        if (merchant.Status != MerchantStatus.Active)
        {
            // P4.3: a merchant serving its notice takes no new customers' data.
            throw DomainException.Conflict("merchant-closing", "This merchant is closing and takes no new orders.");
        }

        if (command.UserId is not { } userId)
        {
            // A walk-in sale names nobody: there is no one's data to process, so no consent or policy gate. P4.4: but
            // the merchant's day of them, counted once its stock is taken and before the order is written (an order for a
            // user counts against the user's day at the merchant, in the gate below).
            return (merchant.Region, null);
        }

        if (!EntityId.IsWellFormed(userId, EntityId.UserPrefix))
        {
            // P4.4: an id of no user's shape names nobody, as a made-up one does, and becomes no grain's key: one bearing a
            // NUL reached the user's storage and failed the server (500) where a made-up id is 400.
            throw UnknownUser();
        }

        ProcessingBasis? basis;
        try
        {
            // P1.10, P6.1, P4.2: an order is processed as a contract with the user, only once they accepted the
            // policy, and only by a merchant in the user's data region; P4.4: and within the orders this merchant
            // may place for the user a day. One call to the gate checks all four, so the allowance costs no call.
            var gate = customerGate ?? grains.GetResolvedGrain<IUserConsentGate>(userId);
            basis = await gate.AuthorizeProcessing(
                ProcessingRequest.Under("place-order", LawfulBasis.ContractNecessity).In(merchant.Region).PlacingOrderAt(command.MerchantId));
        }
        catch (DomainException missing) when (missing.Code == "user-not-found")
        {
            // The user is named in the request body: a wrong one is bad input, not a missing resource.
            throw UnknownUser();
        }

        // P4.4: the merchant's day of orders for its users, all its customers together, before the order is written (once
        // its stock is taken): each user's day at the merchant bounds one customer, not a key walking every customer it
        // knows. Counted once the customer's gate let the order through: a key naming made-up users spent the day, and every
        // real order after it. The customer's own day at the merchant is taken in the gate, before the stock.
        return (merchant.Region, basis);
    }

    private static DomainException UnknownUser() => DomainException.InvalidField("userId", "unknown-user", "No such user.");

    private async Task TakeStockAsync(string orderId, string merchantId, OrderQuote quote, string? staffId)
    {
        if (quote.StockedSkus.Count == 0)
        {
            return;
        }

        var wanted = quote.Lines.Where(line => quote.StockedSkus.Contains(line.Sku))
            .GroupBy(line => line.Sku, StringComparer.Ordinal)
            .Select(group => (Sku: group.Key, Quantity: group.Sum(line => line.Quantity)))
            .ToList();
        var sale = SaleOf(orderId);
        var sales = wanted.Select(line => (line.Sku, Sale: new StockAdjustment(sale, -line.Quantity, StockReason.Sale, staffId, orderId))).ToList();
        // P4.4: with more than one line, each shelf is read first. Taken and then released, a refused order of 100 lines
        // wrote 99 products' state twice and 198 movement rows, and a till's key placing such orders at its 1,000 a second
        // was a write storm. Now only a shelf emptied between the read and the take takes and gives back.
        if (sales.Count > 1 && await FirstShortAsync(merchantId, sales) is { } firstShort)
        {
            // A count the read finds short may be this order's own earlier take (a retry of an order placed, or half
            // placed, before its answer was lost): taking that line again finds the take and writes nothing. Only a line
            // still short refuses the order, and then what an earlier attempt took is given back, so a refused order
            // holds nothing (nothing is written where this order took nothing).
            if (!await Stock(merchantId, firstShort.Sku).TryTake(firstShort.Sale))
            {
                await Task.WhenAll(sales.Select(line => Stock(merchantId, line.Sku).Release(sale)));
                throw OutOfStock(firstShort.Sku);
            }
        }

        var takes = sales.Select(line => Stock(merchantId, line.Sku).TryTake(line.Sale)).ToList();
        bool[] taken;
        try
        {
            taken = await Task.WhenAll(takes);
        }
        catch (Exception)
        {
            // P1.6 (*reviewer*): one line's take failed (its stock grain's write did not answer) and the order is refused,
            // never written; the lines already taken stayed taken for it, and the till's keyless retry minted a new id and
            // took them again: the counts went short for good. Every line not refused for its count is given back, as a
            // refused day gives it back. A failed take is asked too, since the unavailable answer does not say whether its
            // write was refused (InfrastructureFailureFilter): its grain reads its state back after a failed write
            // (WriteOrForgetAsync), so a take the database refused left nothing to release and nothing is written, while
            // one stored before the failure (its movement's row failed) is given back. NewOrders holds stock after an
            // unclear write because the order may be stored. This attempt writes no order, so giving back its takes
            // cannot sell an order's stock twice. A take that commits after its release is held, as NewOrders holds one.
            await GiveBackStockAsync(orderId, merchantId, sales.Where((_, i) => !takes[i].IsCompletedSuccessfully || takes[i].Result).Select(line => line.Sku));
            throw;
        }

        var shortOf = sales.Where((_, i) => !taken[i]).Select(line => line.Sku).ToList();
        if (shortOf.Count == 0)
        {
            return;
        }

        await Task.WhenAll(sales.Where((_, i) => taken[i]).Select(line => Stock(merchantId, line.Sku).Release(sale)));
        throw OutOfStock(shortOf[0]);
    }

    /// <summary>
    /// Gives back what <paramref name="orderId"/> took of each tracked line of <paramref name="placed"/>, prepared by
    /// <see cref="PrepareAsync"/> and then not written: the order will not be placed. Never throws: the caller rethrows why
    /// the order was refused, and stock that could not be given back is logged for the merchant's count.
    /// </summary>
    public Task GiveBackStockAsync(string orderId, OrderState placed) => GiveBackStockAsync(orderId, placed.MerchantId, placed.StockedSkus);

    private async Task GiveBackStockAsync(string orderId, string merchantId, IEnumerable<string> stockedSkus)
    {
        var sale = SaleOf(orderId);
        try
        {
            await Task.WhenAll(stockedSkus.Distinct(StringComparer.Ordinal).Select(sku => Stock(merchantId, sku).Release(sale)));
        }
        catch (Exception releaseFailed)
        {
            // The caller hears why the order was refused; the stock its attempt holds is logged for the merchant's count.
            LogStockHeld(releaseFailed, orderId);
        }
    }

    // Read from each product's stock (a read-only call, as the catalogue reads it): the first line whose count is below
    // it, or null when every tracked count covers its line.
    private async Task<(string Sku, StockAdjustment Sale)?> FirstShortAsync(string merchantId, IReadOnlyList<(string Sku, StockAdjustment Sale)> sales)
    {
        var counts = await Task.WhenAll(sales.Select(line => Stock(merchantId, line.Sku).Get()));
        for (var i = 0; i < sales.Count; i++)
        {
            if (counts[i] is { } count && count < -sales[i].Sale.Delta)
            {
                return sales[i];
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The stock taken for order {OrderId}, refused after taking it, could not be given back")]
    private partial void LogStockHeld(Exception failure, string orderId);

    private static DomainException OutOfStock(string sku) => DomainException.Conflict("out-of-stock", $"Not enough stock of SKU '{sku}'; nothing was taken.");

    private IProductStockGrain Stock(string merchantId, string sku) => grains.GetGrain<IProductStockGrain>(IProductStockGrain.KeyOf(merchantId, sku));
}
