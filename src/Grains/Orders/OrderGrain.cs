using MeiLing.Grains.Catalogue;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.MemberCards;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Payments;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Users;

namespace MeiLing.Grains.Orders;

internal sealed class OrderGrain(
    [PersistentState("order", StorageNames.Default)] IPersistentState<OrderState> state,
    OrderIndexStore index,
    PaymentPartners partners,
    TimeProvider clock) : Grain, IOrderGrain
{
    private const string DeliveryPartner = "meiling-delivery";
    private static readonly string[] DeliveryFields = ["recipientName", "gender", "phone", "address", "doorNumber"];
    private static readonly string[] PaymentFields = ["orderId", "merchantId", "amountFen"];
    private static readonly string[] OrderFields = ["orderId", "lines", "totalFen", "payments", "delivery"];

    private string OrderId => this.GetPrimaryKeyString();

    // Outside its scope a caller is told the order does not exist.
    private OrderState OrderFor(OrderCaller caller, params OrderParty[] parties) =>
        state.RecordExists && parties.Contains(caller.Party) && IsInScope(caller)
            ? state.State
            : throw DomainException.NotFound("order-not-found", "No such order.");

    private bool IsInScope(OrderCaller caller) => caller.Party switch
    {
        OrderParty.Merchant => caller.Id == state.State.MerchantId,
        OrderParty.User => caller.Id == state.State.UserId,
        OrderParty.Support => true,
        _ => false,
    };

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A payment that was begun but not finished (the silo died in between) is finished now, exactly once.
        foreach (var pending in state.State.PendingPayments.ToList())
        {
            await ExecutePaymentAsync(pending);
        }
    }

    async Task<OrderView> IOrderGrain.Place(PlaceOrder command)
    {
        if (state.RecordExists)
        {
            if (!state.State.IsSameOrder(command))
            {
                throw DomainException.Conflict("order-exists", "A different order already has this id.");
            }

            // The first attempt may have died between its state and its listing; writing them again is harmless.
            await index.UpsertWithLineFactsAsync(OrderId, state.State);
            return state.State.ToView(OrderId);
        }

        var lines = await GrainFactory.GetGrain<ICatalogueGrain>(command.MerchantId).Price(command.Items);
        var (region, basis) = await CheckCustomerAsync(command);

        state.State.Place(command, region, basis, lines, clock.GetUtcNow());
        await state.WriteStateAsync();
        await index.UpsertWithLineFactsAsync(OrderId, state.State);
        return state.State.ToView(OrderId);
    }

    async Task<OrderView?> IOrderGrain.Read(OrderCaller caller)
    {
        if (!state.RecordExists || !IsInScope(caller))
        {
            return null;
        }

        if (caller.Party == OrderParty.Merchant && state.State.UserId is { } userId)
        {
            // P3.1: a third-party merchant reading the order receives the user's order data.
            await User(userId).Disclose(new DisclosureRequest(
                state.State.MerchantId, RecipientKind.Merchant, OrderFields, "order-management", null, LawfulBasis.ContractNecessity, state.State.Region));
        }

        // Support reads an order to help with it, not to learn where the user lives (P1.7).
        var view = state.State.ToView(OrderId);
        return caller.Party == OrderParty.Support ? view.MaskedForSupport() : view;
    }

    Task<string?> IOrderGrain.ExportPersonalData(string userId) =>
        Task.FromResult(state.RecordExists && state.State.UserId == userId
            ? PersonalDataExporter.Export(state.State.ToView(OrderId), state.State).ToJsonString()
            : null);

    async Task<OrderView> IOrderGrain.Pay(OrderCaller caller, PaymentMethod method, long amountFen)
    {
        var order = OrderFor(caller, OrderParty.Merchant, OrderParty.User);
        if (method == PaymentMethod.Marked && caller.Party != OrderParty.Merchant)
        {
            // 标记收款: the merchant says it took cash. Only the merchant can say so; a user saying it moves no money.
            throw DomainException.Forbidden("merchant-only-payment-method", "Only the merchant records a marked (cash) payment.");
        }

        if (order.Status != OrderStatus.PendingPayment)
        {
            throw DomainException.Conflict("order-not-payable", $"An order that is {Describe(order.Status)} takes no payment.");
        }

        if (amountFen < 1 || amountFen > order.TotalFen - order.CommittedFen())
        {
            throw DomainException.Conflict("overpayment", $"The outstanding amount is {order.TotalFen - order.CommittedFen()} fen.");
        }

        if (order.UserId is { } userId)
        {
            // P6.1: paying processes the user's data on their behalf.
            await User(userId).AuthorizeProcessing(ProcessingRequest.Under("pay-order", LawfulBasis.ContractNecessity));
        }

        var payment = new OrderState.PaymentRecord
        {
            PaymentId = EntityId.New(EntityId.PaymentPrefix),
            Method = method,
            AmountFen = amountFen,
            At = clock.GetUtcNow(),
        };
        order.BeginPayment(payment);
        if (payment.Method != PaymentMethod.Marked)
        {
            // Money moves outside this grain: the pending record lets a restarted grain finish it exactly once.
            // A marked payment moves nothing, so it is begun and completed in the one write below.
            await state.WriteStateAsync();
        }

        await ExecutePaymentAsync(payment);
        return order.ToView(OrderId);
    }

    async Task<OrderView> IOrderGrain.ConfirmPartnerPayment(PartnerPaymentConfirmation confirmation)
    {
        // A partner confirms only what it was asked to charge: another partner's payment, or none, is not found.
        var payment = state.RecordExists ? state.State.MadePayment(confirmation.PaymentId) : null;
        if (payment is null || payment.Method is not (PaymentMethod.Wechat or PaymentMethod.Alipay)
            || partners.For(payment.Method).Name != confirmation.Partner)
        {
            throw DomainException.NotFound("payment-not-found", "No payment of this partner has this id.");
        }

        if (payment.AmountFen != confirmation.AmountFen || payment.PartnerReference != confirmation.PartnerReference)
        {
            throw DomainException.Conflict("confirmation-mismatch", "The confirmation's amount or reference differs from the payment's.");
        }

        var statusBefore = state.State.Status;
        if (state.State.ConfirmPartnerPayment(payment))
        {
            await state.WriteStateAsync();
            if (state.State.Status != statusBefore)
            {
                await UpdateIndexAsync();
            }
        }

        return state.State.ToView(OrderId);
    }

    async Task<bool> IOrderGrain.Anonymize()
    {
        if (!state.RecordExists)
        {
            return false;
        }

        // Money already drawn is accounted for before the order loses its user.
        foreach (var pending in state.State.PendingPayments.ToList())
        {
            await ExecutePaymentAsync(pending);
        }

        var changed = state.State.Anonymize();
        if (changed)
        {
            await state.WriteStateAsync();
        }

        await UpdateIndexAsync();
        return changed;
    }

    async Task<bool> IOrderGrain.HandOverToSuccessor(string merchantId, string successorMerchantId)
    {
        if (!state.RecordExists)
        {
            return false;
        }

        if (state.State.HandOver(merchantId, successorMerchantId))
        {
            await state.WriteStateAsync();
        }

        if (state.State.MerchantId != successorMerchantId)
        {
            return false;
        }

        // Again after an interruption between the two writes: the listing row follows the order.
        await UpdateIndexAsync();
        return true;
    }

    async Task<bool> IOrderGrain.CorrectDelivery(DataRights.DeliveryCorrection correction)
    {
        if (!state.RecordExists || !state.State.CorrectDelivery(correction))
        {
            return false;
        }

        await state.WriteStateAsync();
        return true;
    }

    async Task<OrderView> IOrderGrain.ChangeStatus(OrderCaller caller, OrderStatus target)
    {
        var order = OrderFor(caller, OrderParty.Merchant);
        var allowed = (order.Status, target) switch
        {
            (OrderStatus.Paid, OrderStatus.Fulfilled) => true,
            (OrderStatus.PendingPayment or OrderStatus.Paid, OrderStatus.Cancelled) => order.PendingPayments.Count == 0,
            (OrderStatus.Paid or OrderStatus.Fulfilled, OrderStatus.Refunded) => true,
            _ => false,
        };
        if (!allowed)
        {
            throw DomainException.Conflict("invalid-transition", $"An order that is {Describe(order.Status)} cannot become {Describe(target)}.");
        }

        if (target == OrderStatus.Fulfilled && order is { Delivery: not null, UserId: { } userId })
        {
            // P1.5, P3.1: the delivery partner receives the delivery details at fulfilment.
            await User(userId).Disclose(new DisclosureRequest(
                DeliveryPartner, RecipientKind.DeliveryPartner, DeliveryFields, "delivery", null, LawfulBasis.ContractNecessity, order.Region));
        }

        if (target is OrderStatus.Cancelled or OrderStatus.Refunded)
        {
            await RefundPaymentsAsync(order);
        }

        order.MoveTo(target);
        await state.WriteStateAsync();
        await UpdateIndexAsync();
        return order.ToView(OrderId);
    }

    private async Task ExecutePaymentAsync(OrderState.PaymentRecord payment)
    {
        var order = state.State;
        string? reference = null;
        var awaitingPartner = false;
        switch (payment.Method)
        {
            case PaymentMethod.MemberCard:
                try
                {
                    await MemberCard(order).Debit(payment.PaymentId, payment.AmountFen);
                }
                catch (DomainException refused) when (refused.Code == "insufficient-balance")
                {
                    order.AbandonPayment(payment.PaymentId);
                    await state.WriteStateAsync();
                    throw;
                }

                break;
            case PaymentMethod.Wechat or PaymentMethod.Alipay:
                var partner = partners.For(payment.Method);
                await DiscloseToPaymentPartnerAsync(order, partner, "payment");
                reference = await partner.ChargeAsync(payment.PaymentId, OrderId, payment.AmountFen);
                awaitingPartner = true;
                break;
        }

        var statusBefore = order.Status;
        order.CompletePayment(payment.PaymentId, reference, awaitingPartner);
        await state.WriteStateAsync();
        if (order.Status != statusBefore)
        {
            // The listing row carries the status, not the amount paid: a partial payment leaves it as it is.
            await UpdateIndexAsync();
        }
    }

    // Each refund is idempotent per payment id (the card's operation id, the partner's own key), so a
    // cancellation retried after a crash gives nothing back twice. Marked payments were taken outside the
    // platform and are given back there.
    private async Task RefundPaymentsAsync(OrderState order)
    {
        foreach (var payment in order.Payments.Where(p => p.RefundReference is null))
        {
            switch (payment.Method)
            {
                case PaymentMethod.MemberCard:
                    await MemberCard(order).Credit($"refund:{payment.PaymentId}", payment.AmountFen);
                    order.RecordRefund(payment.PaymentId, $"refund:{payment.PaymentId}");
                    break;
                case PaymentMethod.Wechat or PaymentMethod.Alipay:
                    var partner = partners.For(payment.Method);
                    await DiscloseToPaymentPartnerAsync(order, partner, "refund");
                    order.RecordRefund(payment.PaymentId, await partner.RefundAsync(payment.PaymentId, OrderId, payment.AmountFen));
                    break;
            }
        }
    }

    private async Task DiscloseToPaymentPartnerAsync(OrderState order, IPaymentPartner partner, string purpose)
    {
        if (order.UserId is { } userId)
        {
            // P1.6, P3.1: payment and reconciliation data go to the partner, recorded as a disclosure.
            await User(userId).Disclose(new DisclosureRequest(
                partner.Name, RecipientKind.PaymentPartner, PaymentFields, purpose, null, LawfulBasis.ContractNecessity, partner.Region));
        }
    }

    private async Task<(string Region, ProcessingBasis Basis)> CheckCustomerAsync(PlaceOrder command)
    {
        var merchant = await GrainFactory.GetGrain<IMerchantGrain>(command.MerchantId).Get()
            ?? throw DomainException.NotFound("merchant-not-found", "No such merchant.");
        if (merchant.Status != MerchantStatus.Active)
        {
            // P4.3: a merchant serving its notice takes no new customers' data.
            throw DomainException.Conflict("merchant-closing", "This merchant is closing and takes no new orders.");
        }

        try
        {
            // P1.10, P6.1, P4.2: an order is processed as a contract with the user, only once they accepted the
            // policy, and only by a merchant in the user's data region: one call to the gate checks all three.
            var basis = await User(command.UserId).AuthorizeProcessing(
                ProcessingRequest.Under("place-order", LawfulBasis.ContractNecessity).In(merchant.Region));
            return (merchant.Region, basis);
        }
        catch (DomainException missing) when (missing.Code == "user-not-found")
        {
            // The user is named in the request body: a wrong one is bad input, not a missing resource.
            throw DomainException.InvalidField("userId", "unknown-user", "No such user.");
        }
    }

    private Task UpdateIndexAsync() => index.UpsertAsync(OrderId, state.State);

    private IUserConsentGate User(string userId) => GrainFactory.GetGrain<IUserConsentGate>(userId);

    private IMemberCardGrain MemberCard(OrderState order) =>
        GrainFactory.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(order.MerchantId, order.UserId
            ?? throw DomainException.Conflict("order-anonymized", "The order no longer belongs to a user.")));

    private static string Describe(OrderStatus status) => status switch
    {
        OrderStatus.PendingPayment => "pending-payment",
        _ => status.ToString().ToLowerInvariant(),
    };
}
