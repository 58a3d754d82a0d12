using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MeiLing.Api.Audit;
using MeiLing.Api.Extensions;
using MeiLing.Api.Security;
using MeiLing.Api.Validation;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MeiLing.Api.Apis;

/// <summary>Orders: placed by merchants for their customers, paid, fulfilled, cancelled, refunded (P1.4–P1.6).</summary>
public static class OrdersApi
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder routes)
    {
        var merchantOrders = routes.MapGroup("/v1/merchants/{merchantId:id}/orders").WithTags("Merchant app");
        merchantOrders.MapPost("/", PlaceOrder).ForCaller(CallerScope.TheMerchantAmongOperators).WithName("PlaceOrder")
            .WithSummary("Place an order for a user, or a walk-in sale (no userId); totals come from the catalogue. An Idempotency-Key header makes retries safe.")
            .WithDescription("Without `userId` the order is a walk-in sale: no personal data, no consent gate, paid marked, wechat or alipay (not member-card); a delivery needs a user (400). Stock-tracked lines take their stock at once, all or nothing: 409 out-of-stock naming the SKU; an archived product is 409 product-archived. A cashier's or manager's key records their staffId on the order. Each of the merchant's keys has Idempotency-Keys of its own: another key's order under the same key is another order. One merchant places at most 500 orders a day for one user (MEILING_MERCHANT_ORDERS_PER_USER_PER_DAY), then 429 too-many-orders with Retry-After (P4.4), and 100,000 a day for all its customers together (MEILING_USER_ORDERS_PER_MERCHANT_PER_DAY), then 429 quota-exceeded; walk-in sales count instead against the merchant's 100,000 a day, all its keys together (MEILING_WALK_IN_SALES_PER_MERCHANT_PER_DAY), then 429 quota-exceeded with Retry-After, nothing placed.")
            .ProducesProblems(400, 409);
        merchantOrders.MapGet("/", ListMerchantOrders).ForCaller(CallerScope.TheMerchantOrOperator.ThatExists()).WithName("ListMerchantOrders")
            .RequireRateLimiting(RateLimits.StaffReadsPolicy)
            .WithSummary("The merchant's orders, newest first, a page at a time; each names its user (userId) to the merchant's own keys only, null to an operator (A.2). A manager's or cashier's key reads orders (here and one by one) at MEILING_RATE_LIMIT_HEAVY_READS_PER_SECOND, then 429 (P4.4).");

        var orders = routes.MapGroup("/v1/orders/{orderId:id}").WithTags("Merchant app");
        orders.MapGet("/", GetOrder).RequireAuthorization(AuthorizationPolicies.OrderParties).AuditsSubjectOf("orderId")
            .RequireRateLimiting(RateLimits.StaffReadsPolicy)
            .WithName("GetOrder").WithSummary("An order: its merchant (recorded as a disclosure; the same hand-over again within a day passes the gate but is recorded once), its user, or support (audited with the order's user as its subject, so the user's audit trail shows the look-up; an order with no user, a walk-in sale, is 404 to support: the merchant's business, P1.7).");
        orders.MapPost("/payments", Pay).RequireAuthorization(AuthorizationPolicies.MerchantOrUser)
            .WithName("PayOrder").WithSummary("Pay part or all of what is outstanding; 409 beyond it, when a member card is short, past 50 payments on one order (too-many-payments), or for an order to be delivered still unpaid 7 days after it was placed (order-expired: place it again with the customer's current delivery). An Idempotency-Key makes a retry return the order with the payment it made; the same key with another method or amount is 409 idempotency-key-reused.")
            .WithDescription("`member-card` draws on the user's balance at the order's merchant, and the user is told of every such payment in their notices (`member-card-charged`). The user pays their own order, and the merchant's own key pays, without more; a member who chose `codeAlways` pays from their card only with a session signed in within MEILING_RECENT_SIGN_IN_MINUTES (else 403 `recent-sign-in-required`, nothing drawn), and the merchant's own key then needs `memberCode` too; a manager's or cashier's key needs `memberCode`, the code texted to the user for this order and amount (`POST /v1/orders/{orderId}/member-code`): without it 403 `member-code-required`, a wrong, spent or other order's code 400 `verification-failed` naming `memberCode`, nothing drawn either way. `marked` (cash) is the merchant's and its staff's alone (a user gets 403). One member-card payment is at most 100,000,000 fen (400 `invalid-amount` naming `amountFen`, nothing begun). A `wechat` or `alipay` charge is `pending` until its partner confirms it, and holds its amount for 15 minutes: past that, another payment may take its place (it then shows `lapsed`, and should its partner confirm it after all, it is given back, a refund with reason `payment-lapsed`), and a cashier may cancel the order. A partner or card that does not answer in time (10 seconds) is 503 (`payment-partner-unavailable`, `payment-pending`): the payment stays begun, and the next payment of the order (or the partner's confirmation) finishes it once rather than making another; that payment asked again is answered with what became of it, 201 only once it is made, and the card's or partner's refusal (409 `insufficient-balance`, a decline) should it refuse it then, nothing paid. Past its merchant's closing date an order takes no payment (409 `merchant-closed`, P4.3).")
            .ProducesProblems(400, 401, 403, 404, 409, 503);
        orders.MapPost("/member-code", AskMemberCode).RequireAuthorization(AuthorizationPolicies.Merchant)
            .WithName("AskMemberCode").WithSummary("Text the order's user a 6-digit code that lets the till draw `amountFen` on their member card for this order (5 minutes, 5 attempts); 202.")
            .WithDescription("The text names the order and the amount; the user tells the code to the cashier if they agree, and the payment (`memberCode`) must be for that order and amount. The merchant's keys (its own, a manager's, a cashier's); another merchant's order is 404; a walk-in sale is 409 `no-member-card`; an order not awaiting payment, or an amount beyond what is outstanding, 409; an amount beyond the card's balance 409 `insufficient-balance`, nothing texted (a code is not spent on such a draw either); beyond 5 texts from this merchant to the user in 15 minutes (10 a day) 429, each merchant counted on its own (P4.4); beyond the asking staff key's texts a day (MEILING_MEMBER_CODES_PER_STAFF_PER_DAY, 200) or the merchant's, all its keys together (MEILING_MEMBER_CODES_PER_MERCHANT_PER_DAY, 5,000), 429 `quota-exceeded` with Retry-After, nothing texted (P1.6, P4.4).")
            .ProducesProblems(400, 401, 403, 404, 409, 429);
        orders.MapPost("/status", ChangeStatus).RequireAuthorization(AuthorizationPolicies.Merchant)
            .WithName("ChangeOrderStatus").WithSummary("Fulfil, cancel or refund; 409 for a transition the order's state forbids.")
            .WithDescription("Cancelling or refunding gives back all money not yet given back, and the stock of every line not yet refunded. A cashier may fulfil, and cancel an order nothing was paid on; giving money back is 403 for a cashier. The order's `statusChange` names the last change a merchant's key made: `{status, at, by}`, `by` the staff member's id or `merchant` for the merchant's own key.")
            .ProducesProblems(400, 401, 403, 404, 409);
        orders.MapPost("/refunds", Refund).RequireAuthorization(AuthorizationPolicies.MerchantManager)
            .WithName("RefundOrder").WithSummary("Refund some lines or an amount of a paid order, through the methods that paid; the refunded lines' stock comes back; 409 too-many-refunds past 50 (a whole-order refund still gives the rest back).")
            .WithDescription("`lines` refunds those quantities at the price they were sold at; `amountFen` refunds that amount (with lines, instead of their price). Up to what was paid and not yet refunded (409 refund-exceeds-paid); more of a line than was bought is 409. Money goes back newest payment first: to the member card, through the partner (wechat, alipay), or by the merchant for marked (cash). Fully refunded orders become `refunded`. An Idempotency-Key makes a retry return the same refund; the same key with another body is 409. Each of the merchant's keys has Idempotency-Keys of its own: another key's refund under the same key is another refund. The merchant key or a manager; a cashier gets 403.")
            .ProducesProblems(400, 401, 403, 404, 409);
        return routes;
    }

    private static async Task<Results<Created<OrderPlaced>, ValidationProblem>> PlaceOrder(
        string merchantId, PlaceOrderRequest request, ClaimsPrincipal caller, IClusterClient cluster,
        [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey)
    {
        var orderId = string.IsNullOrEmpty(idempotencyKey)
            ? EntityId.NewInTimeOrder(EntityId.OrderPrefix)
            : OrderIdForKey(merchantId, caller, idempotencyKey);
        var delivery = request.Delivery is { } d ? new Delivery(d.RecipientName.Trim(), d.Gender, d.Phone, d.Address.Trim(), d.DoorNumber.Trim()) : null;
        if (request.UserId is null && delivery is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["delivery"] = ["A delivery is for a registered user (userId); a walk-in sale has none."],
            });
        }

        var command = new PlaceOrder(
            merchantId, request.UserId, [.. request.Items.Select(item => new OrderItem(item.Sku, item.Quantity))], delivery, caller.MerchantStaffId());
        // A minted id names no order yet: it is placed without activating one, by the customer's grain. An idempotency
        // key's id may name the order a first attempt placed, which its grain finds.
        var order = string.IsNullOrEmpty(idempotencyKey)
            ? await cluster.PlaceNewOrder(orderId, command)
            : await cluster.GetResolvedGrain<IOrderGrain>(orderId).Place(command);

        return TypedResults.Created($"/v1/orders/{orderId}", new OrderPlaced(order.OrderId, order.TotalFen, order.Status));
    }

    /// <summary>
    /// The id of the order a merchant's key places under an Idempotency-Key. P1.6 (*reviewer*): each of the merchant's keys
    /// has keys of its own, as payments and top-ups do. Keyed by the merchant alone, a second till's walk-in sale under a key
    /// another till had used was answered 201 with the first's order (its id, its <c>paid</c>, its staff id): the sale never
    /// placed, no stock taken, not in the day's takings, and a till trusting the status handed the goods over unpaid.
    /// </summary>
    public static string OrderIdForKey(string merchantId, ClaimsPrincipal placer, string idempotencyKey) =>
        EntityId.FromIdempotencyKey(EntityId.OrderPrefix, $"{merchantId}/{placer.IdempotencyScope()}", idempotencyKey);

    private static async Task<Ok<OrderPage>> ListMerchantOrders(
        string merchantId, ClaimsPrincipal caller, IClusterClient cluster,
        [Range(1, IOrderListingsGrain.MaxPageSize)] int? limit, [StringLength(256), OrderListingCursor] string? cursor)
    {
        var page = await cluster.GetResolvedGrain<IOrderListingsGrain>(0).ByMerchant(merchantId, cursor, limit ?? 20);
        // A.2, P1.7: an operator sees a merchant's orders, not who placed them. With the user ids, a walk through every
        // merchant's listing was every customer's purchase history, read by no one their access logs would name.
        return TypedResults.Ok(caller.IsMerchant(merchantId) ? page : page with { Items = [.. page.Items.Select(order => order with { UserId = null })] });
    }

    private static async Task<Results<Ok<OrderView>, NotFound>> GetOrder(string orderId, ClaimsPrincipal caller, IClusterClient cluster, HttpContext context)
    {
        var order = await cluster.GetGrain<IOrderGrain>(orderId).Read(caller.AsOrderCaller());
        if (order?.UserId is { } userId)
        {
            // P1.7: support's look-up is written with the order's user, read from the order, before it is shown.
            await SupportAudit.SubjectFoundAsync(context, userId);
        }

        return order is null ? TypedResults.NotFound() : TypedResults.Ok(order);
    }

    private static async Task<Results<Created<OrderView>, NotFound>> Pay(
        string orderId, PayOrderRequest request, ClaimsPrincipal caller, IClusterClient cluster, RecentSignIn recentSignIn,
        NetworkAllowances allowances, [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey)
    {
        // The order decides whether the payment needs a recent sign-in (a member who chose codeAlways); the edge only
        // says whether this session's signed sign-in time is recent.
        // Each payer's keys their own: the user's key never names a payment the till made under the same key.
        var payer = caller.AsOrderCaller();
        var paymentId = string.IsNullOrEmpty(idempotencyKey)
            ? null
            : EntityId.FromIdempotencyKey(EntityId.PaymentPrefix, $"{orderId}/{caller.IdempotencyScope()}", idempotencyKey);
        var payment = new OrderPayment(payer, request.Method, request.AmountFen, request.MemberCode, recentSignIn.IsRecent(caller), paymentId);
        var order = request.MemberCode is not null && !caller.IsInRole(Roles.User)
            // P1.6, P4.4 (*reviewer*): each member code takes five guesses and a till asks fresh ones; a till's key (or the
            // merchant's) guessing across codes drew on members' cards at some thousand guesses a day. Its wrong codes count
            // against its own day, as an agent's do; a payment without a code is not held up by it.
            ? await WrongCodeFilter.WithinAsync(
                allowances.ReserveTillsWrongMemberCode(caller.SubjectId()!, caller.MerchantStaffId()), () => cluster.GetGrain<IOrderGrain>(orderId).PayWith(payment))
            : await cluster.GetGrain<IOrderGrain>(orderId).PayWith(payment);
        return TypedResults.Created($"/v1/orders/{orderId}", order);
    }

    private static async Task<Accepted> AskMemberCode(string orderId, MemberCodeRequest request, ClaimsPrincipal caller, IClusterClient cluster)
    {
        await cluster.GetGrain<IOrderGrain>(orderId).AskMemberCode(caller.AsOrderCaller(), request.AmountFen);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<Created<RefundView>, NotFound, ValidationProblem>> Refund(
        string orderId, RefundOrderRequest request, ClaimsPrincipal caller, IClusterClient cluster,
        [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey)
    {
        if (request.Lines is not { Count: > 0 } && request.AmountFen is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["lines"] = ["Name the lines to refund, an amountFen, or both."],
            });
        }

        // P1.6, P4.4 (*reviewer*): each of the merchant's keys has Idempotency-Keys of its own, as orders, payments, top-ups
        // and stock moves do. Keyed by the order alone, manager B's refund of the other unit under a key manager A had used
        // (tills counting their keys) was answered 201 with A's refund: nothing given back, no stock returned. A refund
        // begun under the previous release's id (the order and key alone) and retried under this one is a second refund,
        // not found under its old id. The order bounds it: it refunds only what was paid and not yet given back, and only
        // lines not yet refunded (planned refunds count), so the retry of a refund of all that was left is 409, and the
        // retry of a part gives back at most one more such part, never beyond what the customer paid.
        var refundId = string.IsNullOrEmpty(idempotencyKey)
            ? EntityId.NewInTimeOrder(EntityId.RefundPrefix)
            : RefundIdForKey(orderId, caller, idempotencyKey);
        var refund = await cluster.GetGrain<IOrderGrain>(orderId).Refund(caller.AsOrderCaller(), new RefundOrder(
            refundId, request.Lines?.Select(line => new OrderItem(line.Sku, line.Quantity)).ToList(), request.AmountFen));
        return TypedResults.Created($"/v1/orders/{orderId}", refund);
    }

    /// <summary>The id of the refund of <paramref name="orderId"/> a merchant's key makes under an Idempotency-Key: its own (P1.6).</summary>
    public static string RefundIdForKey(string orderId, ClaimsPrincipal refunder, string idempotencyKey) =>
        EntityId.FromIdempotencyKey(EntityId.RefundPrefix, $"{orderId}/{refunder.IdempotencyScope()}", idempotencyKey);

    private static async Task<Results<Ok<OrderView>, NotFound>> ChangeStatus(
        string orderId, ChangeOrderStatusRequest request, ClaimsPrincipal caller, IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<IOrderGrain>(orderId).ChangeStatus(caller.AsOrderCaller(), request.Status));
}

/// <summary>Body of <c>POST /v1/merchants/{merchantId}/orders</c>; without <c>userId</c>, a walk-in sale.</summary>
public sealed record PlaceOrderRequest(
    [property: Required, MinLength(1), MaxLength(100), NoNullItems] IReadOnlyList<OrderItemRequest> Items,
    [property: NotBlank, StringLength(64, MinimumLength = 1)] string? UserId = null,
    DeliveryRequest? Delivery = null);

/// <summary>Body of <c>POST /v1/orders/{orderId}/refunds</c>: lines, an amount, or both.</summary>
public sealed record RefundOrderRequest(
    [property: MinLength(1), MaxLength(100), NoNullItems] IReadOnlyList<OrderItemRequest>? Lines = null,
    [property: Range(1, long.MaxValue, ErrorMessage = "Amounts are positive integers of fen.")] long? AmountFen = null);

public sealed record OrderItemRequest(
    [property: Required, StringLength(64, MinimumLength = 1)] string Sku,
    [property: Range(1, 999)] int Quantity);

/// <summary>Delivery details (P1.5): the user's personal data.</summary>
public sealed record DeliveryRequest(
    [property: Required, StringLength(64, MinimumLength = 1), PlainText] string RecipientName,
    FormOfAddress Gender,
    [property: Required, MainlandMobile, StringLength(32)] string Phone,
    [property: Required, StringLength(256, MinimumLength = 1), PlainText] string Address,
    [property: Required, StringLength(64, MinimumLength = 1), PlainText] string DoorNumber);

public sealed record OrderPlaced(string OrderId, long TotalFen, OrderStatus Status);

/// <summary>Body of <c>POST /v1/orders/{orderId}/payments</c>.</summary>
public sealed record PayOrderRequest(
    PaymentMethod Method,
    [property: Range(1, long.MaxValue, ErrorMessage = "Amounts are positive integers of fen.")] long AmountFen,
    [property: RegularExpression("^[0-9]{6}$", ErrorMessage = "A member code is the 6 digits texted to the member.")] string? MemberCode = null);

/// <summary>Body of <c>POST /v1/orders/{orderId}/member-code</c>: the amount the till means to draw on the member card.</summary>
public sealed record MemberCodeRequest(
    [property: Range(1, long.MaxValue, ErrorMessage = "Amounts are positive integers of fen.")] long AmountFen);

/// <summary>Body of <c>POST /v1/orders/{orderId}/status</c>.</summary>
public sealed record ChangeOrderStatusRequest(OrderStatus Status);
