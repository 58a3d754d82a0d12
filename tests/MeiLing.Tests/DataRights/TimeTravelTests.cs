using System.Text.Json;
using MeiLing.Grains.Consents;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Notifications;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Retention;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Grains.Users;
using MeiLing.Tests.Retail;
using MeiLing.Tests.Infrastructure;
using MeiLing.Tests.Users;
using MeiLing.Tests.Webhooks;
using Orleans.Core.Internal;

namespace MeiLing.Tests.DataRights;

[Collection(TimeTravelCollection.Name)]
public sealed class TimeTravelTests(TimeTravelFixture platform)
{
    [Fact]
    public async Task P8_1_a_request_past_its_due_date_is_listed_as_overdue_and_still_completes()
    {
        var (_, request) = await platform.UserWithRequestAsync("access");
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Overdue", "support")).ApiKey);

        platform.Clock.Advance(TimeSpan.FromDays(16));
        var overdue = await support.GetFromJsonAsync<JsonElement>("/v1/requests?status=open&overdue=true");
        await request.Drive();
        var after = await support.GetFromJsonAsync<JsonElement>("/v1/requests?status=open&overdue=true");

        Assert.Contains(overdue.GetProperty("items").EnumerateArray(), r => r.GetProperty("requestId").GetString() == request.GetPrimaryKeyString());
        Assert.DoesNotContain(after.GetProperty("items").EnumerateArray(), r => r.GetProperty("requestId").GetString() == request.GetPrimaryKeyString());
    }

    // Each filing refused as a duplicate of the user's open request spent a use of the user's day all the same: ten such
    // refusals, an app retrying, and the user could file nothing more that day once the first completed.
    [Fact]
    public async Task P4_4_P8_1_a_users_filing_refused_as_a_duplicate_spends_none_of_their_days_requests()
    {
        var (user, request) = await platform.UserWithRequestAsync("access");
        var client = await platform.AsUserAsync(user);
        var refusals = new List<HttpResponseMessage>();
        for (var i = 0; i < UserQuotas.RequestsPerDay; i++)
        {
            refusals.Add(await client.PostAsJsonAsync($"/v1/users/{user.UserId}/requests", new { type = "access" }));
        }

        await request.Drive();
        var afterwards = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/requests", new { type = "access" });

        foreach (var refused in refusals)
        {
            Assert.EndsWith("/duplicate-request", (await refused.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        }

        Assert.True(afterwards.StatusCode == HttpStatusCode.Accepted, await afterwards.Content.ReadAsStringAsync());
    }

    // Requests here wait to be driven by hand, so every request of this collection is still open: the
    // three filed last are due last.
    [Fact]
    public async Task P8_1_open_requests_come_a_page_at_a_time_and_the_next_page_holds_the_rest()
    {
        var filed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var user = await platform.RegisterUserAsync();
            filed.Add((await (await platform.AsUserAsync(user)).FileRequestAsync(user.UserId, new { type = "access" })).RequestId());
        }

        var support = platform.Client((await platform.EnrolStaffAsync("Agent Pages", "support")).ApiKey);
        var pages = new List<List<string>>();
        string? cursor = null;
        do
        {
            var page = await support.GetFromJsonAsync<JsonElement>($"/v1/requests?status=open&limit=2{(cursor is null ? "" : $"&cursor={cursor}")}");
            pages.Add([.. page.GetProperty("items").EnumerateArray().Select(r => r.RequestId())]);
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.All(pages, page => Assert.InRange(page.Count, 0, 2));
        Assert.Equal(filed, pages.SelectMany(page => page).Where(filed.Contains));
        Assert.Contains(filed[2], pages[^1]);
    }

    [Theory]
    [InlineData("MXwA")] // "1|\0": a NUL that once reached PostgreSQL
    [InlineData("bm90LWEtY3Vyc29y")]
    public async Task An_open_request_cursor_the_api_did_not_give_is_400_naming_the_cursor(string cursor)
    {
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Cursor", "support")).ApiKey);

        var response = await support.GetAsync($"/v1/requests?status=open&cursor={cursor}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("cursor", out _));
    }

    // P4.1: "nothing of the user's personal data remains" is checked, not assumed. Here a disclosure row
    // comes back whenever it is erased (as a flow still on its way could write one after its step ran):
    // while it is there the cancellation stays open, and once it can go the next drive erases it and completes.
    [Fact]
    public async Task P4_1_a_cancellation_completes_only_once_its_verification_finds_nothing_left()
    {
        var (user, request) = await platform.UserWithRequestAsync("cancellation");
        var keeper = $"keep_{user.UserId}";
        await platform.Database.ScalarAsync<int>($"""
            CREATE FUNCTION {keeper}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO user_disclosures SELECT OLD.*; RETURN NULL; END $$;
            CREATE TRIGGER {keeper} AFTER DELETE ON user_disclosures FOR EACH ROW WHEN (OLD.user_id = '{user.UserId}') EXECUTE FUNCTION {keeper}();
            INSERT INTO user_disclosures VALUES ('{user.UserId}', now(), 'wechat-pay', 'PaymentPartner', ARRAY['orderId'], 'payment', 'ContractNecessity', NULL);
            """);

        var whileLeft = await request.Drive();
        await platform.Database.ScalarAsync<int>($"DROP TRIGGER {keeper} ON user_disclosures; DROP FUNCTION {keeper}();");
        var afterwards = await request.Drive();

        Assert.Equal(DataRightsRequestStatus.InProgress, whileLeft.Status);
        Assert.Equal(new RequestStep.Verify().Name, whileLeft.Progress!.CurrentStep);
        Assert.Equal(DataRightsRequestStatus.Completed, afterwards.Status);
        Assert.True(afterwards.Receipt!.Verified);
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM user_disclosures WHERE user_id = $1", user.UserId));
    }

    [Fact]
    public async Task P4_3_a_merchant_shutdown_needs_at_least_30_days_notice()
    {
        var merchant = await platform.CreateMerchantAsync("Too Quick");

        var response = await platform.Operator().PostAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/termination", new { noticeDays = 29 });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task P4_3_users_are_notified_and_after_the_notice_their_data_at_the_merchant_is_erased_or_anonymized()
    {
        var shop = await platform.OpenShopAsync();
        var order = await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery());
        await shop.TopUpAsync(2_000);

        var started = await platform.Operator().PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/termination", new { noticeDays = 30 });
        var notices = await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/users/{shop.Customer.UserId}/notifications");
        var merchant = platform.Grains.GetGrain<IMerchantGrain>(shop.Merchant.MerchantId);
        var early = await merchant.CompleteTerminationIfDue();
        var stillThere = await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/orders/{order.Id()}");
        // During the notice: the merchant's key still works, but it takes no new orders.
        var newOrder = await shop.MerchantClient.PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/orders",
            new { userId = shop.Customer.UserId, items = new[] { new { sku = "TEA-1", quantity = 1 } } });
        platform.Clock.Advance(TimeSpan.FromDays(31));
        var late = await merchant.CompleteTerminationIfDue();

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        await newOrder.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(shop.Merchant.MerchantId, notices.GetProperty("items")[0].GetProperty("merchantId").GetString());
        Assert.Equal(MerchantStatus.Terminating, early.Status);
        Assert.False(stillThere.GetProperty("anonymized").GetBoolean());
        Assert.Equal(MerchantStatus.Terminated, late.Status);
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM order_index WHERE merchant_id = $1 AND (user_ref IS NOT NULL OR sealed_user_id IS NOT NULL OR user_id IS NOT NULL)",
            shop.Merchant.MerchantId));
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM member_card_index WHERE merchant_id = $1", shop.Merchant.MerchantId));
    }

    // P4.3 (*reviewer*): a closing's notices walked its customers and stopped at one whose inbox failed: every customer after
    // them stayed untold, tick after tick, while the 30 days ran; and one told late was erased on the first date all the same.
    [Fact]
    public async Task P4_3_a_customer_a_closing_could_not_tell_holds_up_no_other_and_gets_their_own_30_days()
    {
        var customers = await platform.OpenShopWithCustomersWhoOrderedAsync(3);
        var merchantId = customers[0].Merchant.MerchantId;
        // The newest order's customer is walked first; their inbox's stored row moves under it, so its next write fails.
        var failing = customers[^1];
        var inbox = platform.Grains.GetGrain<IUserInboxGrain>(failing.Customer.UserId);
        await inbox.Notify(new UserNotification(NoticeKinds.PasswordChanged, "Earlier notice", null, platform.Clock.GetUtcNow(), null));
        await platform.Database.ScalarAsync<int>(
            "UPDATE orleans_storage SET version = version + 1 WHERE grain_id_string = $1 AND grain_type = 'inbox' RETURNING version",
            failing.Customer.UserId);
        var startedAt = platform.Clock.GetUtcNow();

        var started = await platform.Operator().PostAsJsonAsync($"/v1/merchants/{merchantId}/termination", new { noticeDays = 30 });
        var toldAtOnce = new List<bool>();
        foreach (var customer in customers)
        {
            toldAtOnce.Add(await HoldsClosingNoticeAsync(customer));
        }

        await inbox.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        platform.Clock.Advance(TimeSpan.FromDays(10));
        var merchant = platform.Grains.GetGrain<IMerchantGrain>(merchantId);
        var afterLateNotice = await merchant.CompleteTerminationIfDue();
        var lateNotice = (await failing.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/users/{failing.Customer.UserId}/notifications"))
            .GetProperty("items").EnumerateArray().Single(n => n.GetProperty("kind").GetString() == "merchant-termination");
        platform.Clock.Advance(TimeSpan.FromDays(21));
        var atTheFirstDate = await merchant.CompleteTerminationIfDue();
        platform.Clock.Advance(TimeSpan.FromDays(10));
        var afterTheirOwn = await merchant.CompleteTerminationIfDue();

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal([true, true, false], toldAtOnce);
        Assert.True(afterLateNotice.TerminationEffectiveAt >= startedAt.AddDays(40));
        Assert.Contains($"{afterLateNotice.TerminationEffectiveAt!.Value.AddTicks(-1):yyyy-MM-dd}", lateNotice.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(afterLateNotice.TerminationEffectiveAt, lateNotice.GetProperty("effectiveAt").GetDateTimeOffset());
        Assert.Equal(MerchantStatus.Terminating, atTheFirstDate.Status);
        Assert.Equal(MerchantStatus.Terminated, afterTheirOwn.Status);
    }

    // P4.3 (*reviewer*): a customer whose account can never take the notice held every other customer's erasure for good
    // (the closing stayed pending, its unreached list retried every minute for ever). Tried until the date, they are then
    // erased untold, counted for the operator, and the date (the keys' end) does not move.
    [Fact]
    public async Task P4_3_a_customer_a_closing_can_never_tell_is_erased_untold_at_its_date_and_counted()
    {
        var customers = await platform.OpenShopWithCustomersWhoOrderedAsync(2);
        var merchantId = customers[0].Merchant.MerchantId;
        var failing = customers[^1].Customer.UserId;
        var refuse = $"refuse_{Guid.NewGuid():N}";
        await platform.Database.ScalarAsync<object>($"""
            CREATE FUNCTION {refuse}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'storage refuses'; END $$;
            CREATE TRIGGER {refuse} BEFORE INSERT OR UPDATE ON orleans_storage FOR EACH ROW
                WHEN (NEW.grain_id_string = '{failing}' AND NEW.grain_type = 'inbox') EXECUTE FUNCTION {refuse}();
            """);
        var merchant = platform.Grains.GetGrain<IMerchantGrain>(merchantId);
        MerchantView started, midway, closed;
        try
        {
            (await platform.Operator().PostAsJsonAsync($"/v1/merchants/{merchantId}/termination", new { noticeDays = 30 })).EnsureSuccessStatusCode();
            started = (await merchant.Get())!;
            platform.Clock.Advance(TimeSpan.FromDays(15));
            midway = await merchant.CompleteTerminationIfDue();
            platform.Clock.Advance(TimeSpan.FromDays(16));
            closed = await merchant.CompleteTerminationIfDue();
        }
        finally
        {
            await platform.Database.ScalarAsync<object>($"DROP TRIGGER {refuse} ON orleans_storage; DROP FUNCTION {refuse}();");
        }

        Assert.Equal((MerchantStatus.Terminating, started.TerminationEffectiveAt, (int?)0), (midway.Status, midway.TerminationEffectiveAt, midway.NoticesGivenUp));
        Assert.Equal(MerchantStatus.Terminated, closed.Status);
        Assert.Equal(1, closed.NoticesGivenUp);
        Assert.Equal(started.TerminationEffectiveAt, closed.TerminationEffectiveAt);
    }

    private static async Task<bool> HoldsClosingNoticeAsync(Shop customer) =>
        (await customer.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/users/{customer.Customer.UserId}/notifications"))
            .GetProperty("items").EnumerateArray().Any(n => n.GetProperty("kind").GetString() == "merchant-termination");

    // P1.5, P3.1 (*reviewer*): an unpaid order past its window is skipped by the user's corrections of their delivery, yet it
    // still took a payment: paid late, it went to the merchant's till and the delivery partner with the address the user
    // had corrected away.
    [Fact]
    public async Task P1_5_P3_1_an_unpaid_order_to_be_delivered_takes_no_payment_once_past_its_window()
    {
        var shop = await platform.OpenShopAsync();
        var stale = await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery(), teas: 1, cakes: 0);
        var pickUp = await shop.PlaceOrderAsync(null, teas: 1, cakes: 0);
        platform.Clock.Advance(OrderState.UnpaidDeliveryWindow + TimeSpan.FromHours(1));
        var fresh = await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery(), teas: 1, cakes: 0);

        var late = await shop.MerchantClient.PayAsync(stale.Id(), "marked", stale.GetProperty("totalFen").GetInt64());

        Assert.EndsWith("/order-expired", (await late.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal("pending-payment", (await shop.MerchantClient.OrderAsync(stale.Id())).GetProperty("status").GetString());
        // An order without a delivery, and one placed within the window, are paid as ever.
        Assert.True((await shop.MerchantClient.PayAsync(pickUp.Id(), "marked", pickUp.GetProperty("totalFen").GetInt64())).IsSuccessStatusCode);
        Assert.True((await shop.MerchantClient.PayAsync(fresh.Id(), "marked", fresh.GetProperty("totalFen").GetInt64())).IsSuccessStatusCode);
    }

    // P1.5, P3.1 (*reviewer*): a paid order past its window was still fulfilled: the user's correction of their delivery had
    // skipped it (stale), yet fulfilment handed the delivery partner the address the user had corrected away.
    [Fact]
    public async Task P1_5_P3_1_a_paid_order_to_be_delivered_is_not_fulfilled_once_past_its_window()
    {
        var shop = await platform.OpenShopAsync();
        var stale = (await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery(), teas: 1, cakes: 0)).Id();
        var pickUp = (await shop.PlaceOrderAsync(null, teas: 1, cakes: 0)).Id();
        foreach (var order in new[] { stale, pickUp })
        {
            (await shop.MerchantClient.PayAsync(order, "marked", (await shop.MerchantClient.OrderAsync(order)).GetProperty("totalFen").GetInt64())).EnsureSuccessStatusCode();
        }

        platform.Clock.Advance(OrderState.PaidDeliveryWindow + TimeSpan.FromHours(1));
        var fresh = (await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery(), teas: 1, cakes: 0)).Id();
        (await shop.MerchantClient.PayAsync(fresh, "marked", (await shop.MerchantClient.OrderAsync(fresh)).GetProperty("totalFen").GetInt64())).EnsureSuccessStatusCode();

        var late = await shop.MerchantClient.PostAsJsonAsync($"/v1/orders/{stale}/status", new { status = "fulfilled" });

        Assert.EndsWith("/order-expired", (await late.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal("paid", (await shop.MerchantClient.OrderAsync(stale)).GetProperty("status").GetString());
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM user_disclosures WHERE order_id = $1 AND recipient_kind = 'DeliveryPartner'", stale));
        // An order without a delivery, and one paid within the window, are fulfilled as ever; the stale one is refunded.
        Assert.True((await shop.MerchantClient.PostAsJsonAsync($"/v1/orders/{pickUp}/status", new { status = "fulfilled" })).IsSuccessStatusCode);
        Assert.True((await shop.MerchantClient.PostAsJsonAsync($"/v1/orders/{fresh}/status", new { status = "fulfilled" })).IsSuccessStatusCode);
        Assert.True((await shop.MerchantClient.PostAsJsonAsync($"/v1/orders/{stale}/status", new { status = "refunded" })).IsSuccessStatusCode);
    }

    // P4.4, P1.5 (*reviewer*): a cashier's key read every delivered order's recipient, phone and address for good, though a
    // till needs them only while the order is on its way or just delivered.
    [Fact]
    public async Task P4_4_a_cashier_reads_a_delivered_orders_delivery_masked_once_past_its_grace_while_the_merchant_reads_it_whole()
    {
        var shop = await platform.OpenShopAsync();
        var cashier = platform.Client((await shop.MerchantClient.EnrolAsync(shop.Merchant.MerchantId, "Till Two", "cashier")).ApiKey);
        var order = (await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery(), teas: 1, cakes: 0)).Id();
        var total = (await shop.MerchantClient.OrderAsync(order)).GetProperty("totalFen").GetInt64();
        async Task<HttpResponseMessage> CashierTakesCashAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/orders/{order}/payments") { Content = JsonContent.Create(new { method = "marked", amountFen = total }) };
            request.Headers.Add("Idempotency-Key", "till-2-cash-1");
            return await cashier.SendAsync(request);
        }

        (await CashierTakesCashAsync()).EnsureSuccessStatusCode();
        (await shop.MerchantClient.PostAsJsonAsync($"/v1/orders/{order}/status", new { status = "fulfilled" })).EnsureSuccessStatusCode();

        var phone = (await shop.MerchantClient.OrderAsync(order)).GetProperty("delivery").GetProperty("phone").GetString();
        var justDelivered = (await cashier.OrderAsync(order)).GetProperty("delivery");
        platform.Clock.Advance(OrderState.FulfilledDeliveryGrace + TimeSpan.FromHours(1));
        var longDelivered = (await cashier.OrderAsync(order)).GetProperty("delivery");
        var merchantsRecord = (await shop.MerchantClient.OrderAsync(order)).GetProperty("delivery");
        // The payment's replay answers with the order too (*reviewer* of this session's diff): masked the same.
        var replayed = await CashierTakesCashAsync();
        var replayedDelivery = (await replayed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("delivery");

        Assert.Equal(phone, justDelivered.GetProperty("phone").GetString());
        Assert.NotEqual(phone, longDelivered.GetProperty("phone").GetString());
        Assert.Equal("***", longDelivered.GetProperty("doorNumber").GetString());
        Assert.Equal(phone, merchantsRecord.GetProperty("phone").GetString());
        Assert.True(replayed.IsSuccessStatusCode, $"{replayed.StatusCode}");
        Assert.NotEqual(phone, replayedDelivery.GetProperty("phone").GetString());
    }

    // P3.1, P4.1 (*reviewer*): an order still to be delivered at a deletion of addresses kept its address, to be delivered;
    // once its window ended with nobody fulfilling or cancelling it, it kept it for good, and its merchant was never told.
    [Fact]
    public async Task P3_1_P4_1_an_order_still_to_be_delivered_at_a_deletion_of_addresses_loses_its_address_once_its_window_ends_and_its_merchant_is_told()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (shop, order, requestId) = await PaidOrderThenItsAddressesDeletedAsync(receiver);
        var sweep = platform.Grains.GetGrain<IRetentionGrain>(IRetentionGrain.PlatformKey);

        var done = await platform.Grains.GetGrain<IDataRightsRequestGrain>(requestId).Drive();
        await sweep.Sweep();
        var withinItsWindow = (await shop.MerchantClient.OrderAsync(order)).GetProperty("delivery");
        platform.Clock.Advance(OrderState.PaidDeliveryWindow + TimeSpan.FromHours(1));
        await sweep.Sweep();
        var pastItsWindow = (await shop.MerchantClient.OrderAsync(order)).GetProperty("delivery");
        var redact = await receiver.WaitForAsync(r => r.Endpoint == shop.Merchant.MerchantId && r.Type == "customer.redact");

        Assert.Equal(DataRightsRequestStatus.Completed, done.Status);
        Assert.False(done.Receipt!.Verified);
        Assert.NotEmpty(done.Receipt.Remaining);
        Assert.NotEqual("", withinItsWindow.GetProperty("address").GetString());
        Assert.Equal(("", ""), (pastItsWindow.GetProperty("address").GetString(), pastItsWindow.GetProperty("doorNumber").GetString()));
        Assert.Equal(requestId, redact.Data.GetProperty("requestId").GetString());
        Assert.Equal([order], redact.Data.GetProperty("orderIds").EnumerateArray().Select(o => o.GetString()));
    }

    // P3.1, P4.1 (*reviewer*): fulfilment erased the address a deletion had left the order to be delivered in the very call
    // that handed it to the delivery partner, and told that partner to erase it: the partner was to deliver with an address
    // it was told to forget, and the merchant's answer showed none. Fulfilment hands the goods over to be delivered; the
    // erasure falls due a delivery grace after it, and the sweep pays it then.
    [Fact]
    public async Task P3_1_P4_1_an_order_still_to_be_delivered_at_a_deletion_of_addresses_keeps_its_address_a_delivery_grace_past_its_fulfilment_then_loses_it_and_its_merchant_and_delivery_partner_are_told()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (shop, order, requestId) = await PaidOrderThenItsAddressesDeletedAsync(receiver);
        var sweep = platform.Grains.GetGrain<IRetentionGrain>(IRetentionGrain.PlatformKey);
        Assert.Equal(DataRightsRequestStatus.Completed, (await platform.Grains.GetGrain<IDataRightsRequestGrain>(requestId).Drive()).Status);

        var fulfilment = await shop.MerchantClient.SetStatusAsync(order, "fulfilled");
        var handedOver = (await fulfilment.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("delivery");
        platform.Clock.Advance(OrderState.FulfilledDeliveryGrace - TimeSpan.FromHours(1));
        await sweep.Sweep();
        var withinTheGrace = (await shop.MerchantClient.OrderAsync(order)).GetProperty("delivery");
        var toPartner = await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM user_disclosures WHERE order_id = $1 AND recipient_kind = 'DeliveryPartner'", order);
        var toldWithinTheGrace = await platform.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_outbox WHERE request_id = $1", requestId);
        platform.Clock.Advance(TimeSpan.FromHours(2));
        await sweep.Sweep();
        var pastTheGrace = (await shop.MerchantClient.OrderAsync(order)).GetProperty("delivery");
        var redact = await receiver.WaitForAsync(r => r.Endpoint == shop.Merchant.MerchantId && r.Type == "customer.redact");
        var toDelivery = await platform.NoticeToAsync(IOrderGrain.DeliveryPartner, requestId);

        // The delivery partner is handed the address to deliver to, the merchant's answer shows it, and until the grace
        // ends it stays, with nobody told to erase it.
        Assert.Equal(HttpStatusCode.OK, fulfilment.StatusCode);
        Assert.NotEqual("", handedOver.GetProperty("address").GetString());
        Assert.Equal(handedOver.GetProperty("address").GetString(), withinTheGrace.GetProperty("address").GetString());
        Assert.Equal(handedOver.GetProperty("doorNumber").GetString(), withinTheGrace.GetProperty("doorNumber").GetString());
        Assert.True(toPartner > 0);
        Assert.Equal(0L, toldWithinTheGrace);
        // Past it, the sweep erases them, and the merchant and the delivery partner hear of that order under the request.
        Assert.Equal(("", ""), (pastTheGrace.GetProperty("address").GetString(), pastTheGrace.GetProperty("doorNumber").GetString()));
        Assert.Equal(requestId, redact.Data.GetProperty("requestId").GetString());
        Assert.Equal([order], redact.Data.GetProperty("orderIds").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal("customer.redact", toDelivery.GetProperty("type").GetString());
        Assert.Equal([order], toDelivery.GetProperty("data").GetProperty("orderIds").EnumerateArray().Select(o => o.GetString()));
    }

    // P3.1, P4.1, P1.6 (*reviewer*): an order awaiting payment whose partner's charge still awaited the partner's word lost the
    // address a deletion had left it to the sweep at its window's end; the confirmation arriving after made it paid, to be
    // delivered, with no address to deliver to. It keeps the address while that word is awaited.
    [Fact]
    public async Task P3_1_P4_1_an_order_whose_partner_charge_awaits_its_word_keeps_the_address_a_deletion_left_it_past_its_window_to_be_delivered_once_confirmed()
    {
        var (shop, order, charge) = await OrderPaidByWechatAsync();
        var requestId = (await shop.CustomerClient.FileRequestAsync(
            shop.Customer.UserId, new { type = "deletion", details = new { categories = new[] { "addresses" } } })).RequestId();
        var sweep = platform.Grains.GetGrain<IRetentionGrain>(IRetentionGrain.PlatformKey);
        Assert.Equal(DataRightsRequestStatus.Completed, (await platform.Grains.GetGrain<IDataRightsRequestGrain>(requestId).Drive()).Status);

        platform.Clock.Advance(OrderState.UnpaidDeliveryWindow + TimeSpan.FromHours(1));
        // The sandbox partner confirms at once: the order as it would stand with its charge begun minutes before its window
        // ended, the partner's word awaited (a charge past its confirmation window holds nothing).
        await StoreAsAwaitingItsChargeAsync(order, platform.Clock.GetUtcNow() - TimeSpan.FromMinutes(5));
        await sweep.Sweep();
        var pastItsWindow = (await shop.MerchantClient.OrderAsync(order)).GetProperty("delivery");
        var confirmed = await ConfirmWechatChargeAsync(order, charge);
        await sweep.Sweep();
        var seen = await shop.MerchantClient.OrderAsync(order);

        Assert.NotEqual("", pastItsWindow.GetProperty("address").GetString());
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        // Confirmed, the order is paid and on its way, with the address to deliver to; nobody was told to erase it.
        Assert.Equal("paid", seen.GetProperty("status").GetString());
        Assert.Equal(pastItsWindow.GetProperty("address").GetString(), seen.GetProperty("delivery").GetProperty("address").GetString());
        Assert.NotEqual("", seen.GetProperty("delivery").GetProperty("doorNumber").GetString());
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_outbox WHERE request_id = $1", requestId));
    }

    // P3.1, P4.1, P1.6 (*reviewer*): a charge past its partner's confirmation window holds no address, so a deletion of
    // addresses erased the address of the order it was for; the partner's confirmation arriving after made the order paid, to
    // be delivered, with nowhere to deliver to. That charge lapses as it is confirmed and goes back through its partner.
    [Fact]
    public async Task P3_1_P4_1_P1_6_a_partner_charge_confirmed_after_its_orders_address_was_erased_pays_nothing_and_goes_back()
    {
        var (shop, order, charge) = await OrderPaidByWechatAsync();
        // The order as it would stand had its partner never answered: awaiting payment, its charge long past its window.
        platform.Clock.Advance(OrderState.UnpaidDeliveryWindow + TimeSpan.FromHours(1));
        await StoreAsAwaitingItsChargeAsync(order, platform.Clock.GetUtcNow() - OrderState.PartnerConfirmationWindow - TimeSpan.FromHours(1));
        var requestId = (await shop.CustomerClient.FileRequestAsync(
            shop.Customer.UserId, new { type = "deletion", details = new { categories = new[] { "addresses" } } })).RequestId();
        Assert.Equal(DataRightsRequestStatus.Completed, (await platform.Grains.GetGrain<IDataRightsRequestGrain>(requestId).Drive()).Status);
        var erased = (await shop.MerchantClient.OrderAsync(order)).GetProperty("delivery");

        var confirmed = await ConfirmWechatChargeAsync(order, charge);
        var seen = await shop.MerchantClient.OrderAsync(order);

        Assert.Equal(("", ""), (erased.GetProperty("address").GetString(), erased.GetProperty("doorNumber").GetString()));
        // Taken, so the partner stops sending it; the order is not paid, and the charge goes back as a lapsed one does.
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("pending-payment", seen.GetProperty("status").GetString());
        Assert.Equal(0, seen.GetProperty("paidFen").GetInt64());
        Assert.Equal("lapsed", seen.GetProperty("payments")[0].GetProperty("status").GetString());
        var refund = Assert.Single(seen.GetProperty("refunds").EnumerateArray());
        Assert.Equal(("payment-lapsed", CommerceApiClient.TeaPrice), (refund.GetProperty("reason").GetString(), refund.GetProperty("amountFen").GetInt64()));
    }

    // An order to be delivered, paid by the sandbox partner's charge (which confirms at once).
    private async Task<(Shop Shop, string Order, JsonElement Charge)> OrderPaidByWechatAsync()
    {
        var shop = await platform.OpenShopAsync();
        var order = (await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery(), teas: 1, cakes: 0)).Id();
        var paid = await shop.CustomerClient.PayAsync(order, "wechat", CommerceApiClient.TeaPrice);
        var charge = (await paid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payments")[0];
        await shop.CustomerClient.WaitForOrderStatusAsync(order, "paid");
        return (shop, order, charge);
    }

    // The order as it would stand had its partner not answered yet: awaiting payment, its charge made at chargedAt.
    private async Task StoreAsAwaitingItsChargeAsync(string order, DateTimeOffset chargedAt)
    {
        var grain = platform.Grains.GetGrain<IOrderGrain>(order);
        await grain.EndActivationAsync();
        await platform.ChangeStoredStateAsync<OrderState>(grain, "order", stored =>
        {
            stored.Status = OrderStatus.PendingPayment;
            stored.Payments[0].AwaitingPartner = true;
            stored.Payments[0].At = chargedAt;
        });
    }

    // The sandbox partner's word on a charge it was asked to make, signed as the partner signs it.
    private Task<HttpResponseMessage> ConfirmWechatChargeAsync(string order, JsonElement charge) =>
        platform.PostSignedAsync("/v1/payment-partners/wechat-pay/confirmations", JsonSerializer.Serialize(new
        {
            orderId = order,
            paymentId = charge.GetProperty("paymentId").GetString(),
            partnerReference = charge.GetProperty("partnerReference").GetString(),
            amountFen = charge.GetProperty("amountFen").GetInt64(),
        }), TestSiloConfigurator.PartnerSecretsByName["wechat-pay"]);

    // P4.3, P1.6: a closing merchant's paid orders it never delivered were anonymized as they stood: still "paid", their
    // money neither delivered for (no address left) nor given back (an anonymized order's card payment is not refunded).
    [Fact]
    public async Task P4_3_P1_6_a_paid_order_its_closing_merchant_never_delivered_is_given_back_before_it_is_anonymized()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(10_000);
        var order = await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery(), teas: 1, cakes: 0);
        await shop.MerchantClient.PaidAsync(order.Id(), "member-card", order.GetProperty("totalFen").GetInt64());

        (await platform.Operator().PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/termination", new { noticeDays = 30 })).EnsureSuccessStatusCode();
        var merchant = platform.Grains.GetGrain<IMerchantGrain>(shop.Merchant.MerchantId);
        await merchant.CompleteTerminationIfDue();
        platform.Clock.Advance(TimeSpan.FromDays(31));
        Assert.Equal(MerchantStatus.Terminated, (await merchant.CompleteTerminationIfDue()).Status);

        Assert.Equal("Cancelled", await platform.Database.ScalarAsync<string>("SELECT status FROM order_index WHERE order_id = $1", order.Id()));
        // The whole top-up is settled back to the member: the order's payment came back onto the card first.
        Assert.Equal(10_000L, await platform.Database.ScalarAsync<long>(
            "SELECT coalesce(sum(amount_fen), 0)::bigint FROM member_card_settlements WHERE merchant_id = $1", shop.Merchant.MerchantId));
    }

    // P4.3, P3.1: a closing merchant anonymized its customers' orders, but the payment and delivery partners that keep each
    // order's payment and delivery by its id were told nothing, and the user's ledger still listed them holding it.
    [Fact]
    public async Task P4_3_P3_1_a_closing_merchants_erasure_tells_the_partners_of_each_erased_order_and_the_user_reads_how_it_went()
    {
        var shop = await platform.OpenShopAsync();
        var erased = (await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery())).Id();
        var elsewhere = (await (await platform.SecondShopForAsync(shop, "Teas Staying Open")).PlaceOrderAsync(CommerceApiClient.SampleDelivery())).Id();
        await platform.RecordPartnerHandOversAsync(shop.Customer.UserId, erased, elsewhere);

        (await platform.Operator().PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/termination", new { noticeDays = 30 })).EnsureSuccessStatusCode();
        var merchant = platform.Grains.GetGrain<IMerchantGrain>(shop.Merchant.MerchantId);
        await merchant.CompleteTerminationIfDue();
        platform.Clock.Advance(TimeSpan.FromDays(31));
        Assert.Equal(MerchantStatus.Terminated, (await merchant.CompleteTerminationIfDue()).Status);

        var closure = MerchantClosures.CauseId(erased);
        var toPayments = await platform.NoticeToAsync("wechat-pay", closure);
        var toDelivery = await platform.NoticeToAsync(IOrderGrain.DeliveryPartner, closure);
        foreach (var notice in new[] { toPayments, toDelivery })
        {
            Assert.Equal("customer.redact", notice.GetProperty("type").GetString());
            Assert.Equal(closure, notice.GetProperty("data").GetProperty("closureId").GetString());
            Assert.Equal([erased], notice.GetProperty("data").GetProperty("orderIds").EnumerateArray().Select(id => id.GetString()));
        }

        // The partner confirms by the closure its notice named, signed with its own secret, once the notice reached it.
        await Polling.UntilAsync(
            () => platform.Database.ScalarAsync<long>(
                "SELECT count(*) FROM request_recipients WHERE request_id = $1 AND recipient = 'wechat-pay' AND (notified_at IS NOT NULL OR confirmed_at IS NOT NULL)", closure),
            told => told > 0);
        var confirmed = await platform.PostSignedAsync("/v1/payment-partners/wechat-pay/recipient-confirmations",
            JsonSerializer.Serialize(new { causeId = closure }), TestSiloConfigurator.PartnerSecretsByName["wechat-pay"]);
        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
        // The order at the merchant still open is no one's to erase.
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM webhook_outbox WHERE request_id = $1", MerchantClosures.CauseId(elsewhere)));
        var access = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" });
        Assert.Equal(DataRightsRequestStatus.Completed, (await platform.Grains.GetGrain<IDataRightsRequestGrain>(access.RequestId()).Drive()).Status);
        var export = await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/requests/{access.RequestId()}/export");
        var told = Assert.Single(export.GetProperty("consents").GetProperty("noticesOfWithdrawalsAndObjections").EnumerateArray());
        Assert.Equal("merchant-closure", told.GetProperty("cause").GetString());
        Assert.Equal(["meiling-delivery", "wechat-pay"], told.GetProperty("recipients").EnumerateArray().Select(r => r.GetProperty("recipient").GetString()).Order(StringComparer.Ordinal));
    }

    // P3.1, P4.3, P8.1: a closing merchant's notice to a partner that failed showed only in the user's export: no list named
    // it for support to chase and nothing could send it again.
    [Fact]
    public async Task P3_1_P4_3_P8_1_a_closure_notice_that_failed_is_listed_for_support_and_re_sent_audited_with_its_user()
    {
        var shop = await platform.OpenShopAsync();
        var userId = shop.Customer.UserId;
        var erased = (await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery())).Id();
        await platform.RecordPartnerHandOversAsync(userId, erased);
        // Also paid through a partner the silos have no adapter for: its notice is tried and fails.
        await platform.Grains.GetGrain<IUserGrain>(userId).Disclose(new DisclosureRequest(
            TestSiloConfigurator.UnadaptedPartner, RecipientKind.PaymentPartner, ["orderId", "totalFen"], "pay-order", null, LawfulBasis.ContractNecessity, "CN", OrderId: erased));
        var agent = await platform.EnrolStaffAsync("Agent Closures", "support");
        var support = platform.Client(agent.ApiKey);

        (await platform.Operator().PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/termination", new { noticeDays = 30 })).EnsureSuccessStatusCode();
        var merchant = platform.Grains.GetGrain<IMerchantGrain>(shop.Merchant.MerchantId);
        await merchant.CompleteTerminationIfDue();
        platform.Clock.Advance(TimeSpan.FromDays(31));
        Assert.Equal(MerchantStatus.Terminated, (await merchant.CompleteTerminationIfDue()).Status);

        var path = $"/v1/users/{userId}/closure-notices";
        string? StatusOf(JsonElement page, string partner) => page.GetProperty("items").EnumerateArray()
            .SelectMany(notice => notice.GetProperty("recipients").EnumerateArray())
            .FirstOrDefault(r => r.GetProperty("recipient").GetString() == partner) is { ValueKind: JsonValueKind.Object } found ? found.GetProperty("status").GetString() : null;
        var mine = await Polling.UntilAsync(() => shop.CustomerClient.GetFromJsonAsync<JsonElement>(path), page => StatusOf(page, TestSiloConfigurator.UnadaptedPartner) == "failed");
        var chased = await support.UnconfirmedItemsAsync("/v1/closure-notices");
        var forAnotherUser = await support.PostAsync(
            $"/v1/users/{(await platform.RegisterUserAsync()).UserId}/closure-notices/{erased}/recipients/{TestSiloConfigurator.UnadaptedPartner}/redelivery", null);
        var byTheUser = await shop.CustomerClient.PostAsync($"{path}/{erased}/recipients/{TestSiloConfigurator.UnadaptedPartner}/redelivery", null);
        var toATold = await support.PostAsync($"{path}/{erased}/recipients/wechat-pay/redelivery", null);
        var redelivered = await support.PostAsync($"{path}/{erased}/recipients/{TestSiloConfigurator.UnadaptedPartner}/redelivery", null);

        var notice = Assert.Single(mine.GetProperty("items").EnumerateArray());
        Assert.Equal(erased, notice.GetProperty("orderId").GetString());
        Assert.Equal(new[] { IOrderGrain.DeliveryPartner, TestSiloConfigurator.UnadaptedPartner, "wechat-pay" }.Order(StringComparer.Ordinal),
            notice.GetProperty("recipients").EnumerateArray().Select(r => r.GetProperty("recipient").GetString()).Order(StringComparer.Ordinal));
        var listed = Assert.Single(chased, item => item.GetProperty("orderId").GetString() == erased);
        Assert.Equal(userId, listed.GetProperty("userId").GetString());
        await forAnotherUser.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Forbidden, byTheUser.StatusCode);
        await toATold.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.True(redelivered.StatusCode == HttpStatusCode.OK, await redelivered.Content.ReadAsStringAsync());
        Assert.NotEqual("failed", (await redelivered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        // The chase list and both re-sends (the refused one too) are in the user's audit trail, with the agent.
        Assert.Equal(3L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE actor_id = $1 AND subject_user_id = $2 AND (action LIKE '%/redelivery' OR action LIKE 'GET /v1/closure-notices%')", agent.StaffId, userId));
    }

    // A shutdown that could not tell one of its users (here a user grain that fails) must still tell everyone, and its
    // retry must not tell anyone twice.
    [Fact]
    public async Task P4_3_users_an_interrupted_shutdown_left_untold_are_told_by_its_reminder_once_each()
    {
        var customers = await platform.OpenShopWithCustomersWhoOrderedAsync(3);
        var shop = customers[0];

        // The user's inbox holds a notice already, and its stored row moves under it: the next write to it fails.
        var failing = customers[1].Customer.UserId;
        var inbox = platform.Grains.GetGrain<IUserInboxGrain>(failing);
        await inbox.Notify(new UserNotification(NoticeKinds.PasswordChanged, "Earlier notice", null, DateTimeOffset.UtcNow, null));
        await platform.Database.ScalarAsync<int>(
            "UPDATE orleans_storage SET version = version + 1 WHERE grain_id_string = $1 AND grain_type = 'inbox' RETURNING version", failing);
        var merchant = platform.Grains.GetGrain<IMerchantGrain>(shop.Merchant.MerchantId);

        await merchant.StartTermination(30);
        await inbox.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await merchant.CompleteTerminationIfDue();

        foreach (var customer in customers)
        {
            var notices = await customer.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/users/{customer.Customer.UserId}/notifications");
            Assert.Single(notices.GetProperty("items").EnumerateArray(), n => n.GetProperty("merchantId").GetString() == shop.Merchant.MerchantId);
        }
    }

    // A merchant with a million customers had all of them (and all their orders) loaded in one grain turn to be told,
    // and again to be erased: one silo's memory, and a turn that outlasted every timeout. Now each call (or reminder
    // tick) takes a batch, and the reminder goes on from where the last batch stopped until every customer is told.
    [Fact]
    public async Task P4_3_P4_4_a_merchant_with_more_customers_than_a_batch_is_told_and_erased_a_batch_per_turn_until_every_one_is()
    {
        var customers = await platform.OpenShopWithCustomersWhoOrderedAsync(12);
        await customers[^1].TopUpAsync(1_000);
        var merchantId = customers[0].Merchant.MerchantId;

        var started = await platform.Operator().PostAsJsonAsync($"/v1/merchants/{merchantId}/termination", new { noticeDays = 30 });
        var toldByTheFirstCall = await CountToldAsync(customers, merchantId);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await CountToldAsync(customers, merchantId) < customers.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        var toldInTheEnd = await CountToldAsync(customers, merchantId);
        platform.Clock.Advance(TimeSpan.FromDays(31));
        var merchant = platform.Grains.GetGrain<IMerchantGrain>(merchantId);
        var first = await merchant.CompleteTerminationIfDue();
        var anonymizedByTheFirstCall = customers.Count - await OrdersNamingAUserAsync(merchantId);
        var last = first;
        for (var calls = 1; last.Status != MerchantStatus.Terminated && calls < 20; calls++)
        {
            last = await merchant.CompleteTerminationIfDue();
        }

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.InRange(toldByTheFirstCall, 1, TestSiloConfigurator.CustomerBatchSize);
        Assert.Equal(customers.Count, toldInTheEnd);
        Assert.Equal(MerchantStatus.Terminating, first.Status);
        Assert.InRange(anonymizedByTheFirstCall, 1, TestSiloConfigurator.CustomerBatchSize);
        Assert.Equal(MerchantStatus.Terminated, last.Status);
        Assert.Equal(0L, await OrdersNamingAUserAsync(merchantId));
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM member_card_index WHERE merchant_id = $1", merchantId));
    }

    // P4.3, P3.2: the erasure walks the merchant's orders newest first, a batch a turn. An order a business transfer moves
    // in after the walk passed its place (a newer order than the walk's position) was never reached, and the merchant
    // closed with it still naming its user. The walk's end now looks once more from the start and walks again if so.
    [Fact]
    public async Task P4_3_P3_2_an_order_moved_into_a_closing_merchant_behind_its_erasure_walk_is_anonymized_before_it_closes()
    {
        var customers = await platform.OpenShopWithCustomersWhoOrderedAsync(TestSiloConfigurator.CustomerBatchSize * 2 + 1);
        var merchantId = customers[0].Merchant.MerchantId;
        platform.Clock.Advance(TimeSpan.FromMinutes(1));
        var elsewhere = await platform.OpenShopAsync();
        var movedIn = (await elsewhere.PlaceOrderAsync()).Id();
        Assert.Equal(HttpStatusCode.Accepted,
            (await platform.Operator().PostAsJsonAsync($"/v1/merchants/{merchantId}/termination", new { noticeDays = 30 })).StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await CountToldAsync(customers, merchantId) < customers.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        platform.Clock.Advance(TimeSpan.FromDays(31));
        var merchant = platform.Grains.GetGrain<IMerchantGrain>(merchantId);
        var first = await merchant.CompleteTerminationIfDue();
        // The transfer's hand-over of one order, as TransferGrain makes it, once the first batch has passed its place.
        var handedOver = await platform.Grains.GetGrain<IOrderGrain>(movedIn).HandOverToSuccessor(elsewhere.Merchant.MerchantId, merchantId);
        var last = first;
        for (var calls = 1; last.Status != MerchantStatus.Terminated && calls < 20; calls++)
        {
            last = await merchant.CompleteTerminationIfDue();
        }

        Assert.Equal(MerchantStatus.Terminating, first.Status);
        Assert.True(handedOver);
        Assert.Equal(MerchantStatus.Terminated, last.Status);
        Assert.Equal(0L, await OrdersNamingAUserAsync(merchantId));
    }

    // P4.3, P4.4: an order-index row naming a user whose order has no stored state was met by every walk and anonymized by
    // none, so the walk's end walked again every batch interval, for ever: a busy loop, and a merchant that never closed.
    // After a few walks without progress the merchant now stays closing, names the order to an operator and walks hourly.
    [Fact]
    public async Task P4_3_P4_4_a_closing_merchant_whose_erasure_walk_makes_no_progress_stays_closing_names_the_stuck_order_and_retries_hourly()
    {
        var shop = await platform.OpenShopAsync();
        var merchantId = shop.Merchant.MerchantId;
        await shop.PlaceOrderAsync();
        var ghost = $"ord_ghost{Guid.NewGuid():N}";
        await platform.Database.ScalarAsync<int>("""
            INSERT INTO order_index (order_id, merchant_id, user_id, created_at, total_fen, status)
            VALUES ($1, $2, $3, now(), 100, 'Paid') RETURNING 1
            """, ghost, merchantId, shop.Customer.UserId);
        Assert.Equal(HttpStatusCode.Accepted,
            (await platform.Operator().PostAsJsonAsync($"/v1/merchants/{merchantId}/termination", new { noticeDays = 30 })).StatusCode);
        platform.Clock.Advance(TimeSpan.FromDays(31));
        var merchant = platform.Grains.GetGrain<IMerchantGrain>(merchantId);

        var last = await merchant.CompleteTerminationIfDue();
        for (var calls = 1; last.ErasureStalled is null && last.Status != MerchantStatus.Terminated && calls < 20; calls++)
        {
            last = await merchant.CompleteTerminationIfDue();
        }

        Assert.Equal(MerchantStatus.Terminating, last.Status);
        Assert.NotNull(last.ErasureStalled);
        Assert.Equal([ghost], last.ErasureStalled.OrderIds);
        Assert.Equal(0, last.ErasureStalled.MemberCardsLeft);
        Assert.InRange(last.ErasureStalled.WalksWithoutProgress, 3, 19);
        Assert.InRange(last.ErasureStalled.NextAttemptAt - platform.Clock.GetUtcNow(), TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        // The real order is anonymized; only the row without an order still names the user.
        Assert.Equal(1L, await OrdersNamingAUserAsync(merchantId));
        Assert.Equal((long)TimeSpan.FromHours(1).TotalMilliseconds, await platform.Database.ScalarAsync<long>(
            "SELECT period FROM orleans_reminders WHERE grain_id LIKE '%' || $1 AND reminder_name = 'termination'", merchantId));
        var seen = await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/merchants/{merchantId}");
        Assert.Equal("terminating", seen.GetProperty("status").GetString());
        Assert.Equal(ghost, seen.GetProperty("erasureStalled").GetProperty("orderIds")[0].GetString());

        // The operator removes the row that outlived its order; the next walk closes the merchant.
        await platform.Database.ScalarAsync<int>("DELETE FROM order_index WHERE order_id = $1 RETURNING 1", ghost);
        var closed = await merchant.CompleteTerminationIfDue();
        Assert.Equal(MerchantStatus.Terminated, closed.Status);
        Assert.Null(closed.ErasureStalled);
    }

    private static async Task<int> CountToldAsync(IEnumerable<Shop> customers, string merchantId)
    {
        var told = 0;
        foreach (var customer in customers)
        {
            var notices = await customer.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/users/{customer.Customer.UserId}/notifications");
            told += notices.GetProperty("items").EnumerateArray().Any(n => n.GetProperty("merchantId").GetString() == merchantId) ? 1 : 0;
        }

        return told;
    }

    private async Task<long> OrdersNamingAUserAsync(string merchantId) =>
        await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM order_index WHERE merchant_id = $1 AND (user_ref IS NOT NULL OR sealed_user_id IS NOT NULL OR user_id IS NOT NULL)",
            merchantId);

    [Fact]
    public async Task P4_3_a_merchant_serving_its_notice_takes_no_member_card_top_ups()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(1_000);
        await platform.Operator().PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/termination", new { noticeDays = 30 });

        var response = await shop.MerchantClient.PostAsJsonAsync(
            $"/v1/merchants/{shop.Merchant.MerchantId}/member-cards/{shop.Customer.UserId}/top-ups", new { amountFen = 500 });

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/merchant-closing", problem.TypeOf(), StringComparison.Ordinal);
        Assert.Equal(1_000, await shop.BalanceAsync());
    }

    [Fact]
    public async Task P4_3_a_terminated_merchants_key_stops_working_and_is_not_replaced()
    {
        var shop = await platform.CreateMerchantAsync("Closing For Good");
        var merchantClient = platform.Client(shop.ApiKey);
        await platform.Operator().PostAsJsonAsync($"/v1/merchants/{shop.MerchantId}/termination", new { noticeDays = 30 });
        var duringNotice = await merchantClient.GetAsync($"/v1/merchants/{shop.MerchantId}");

        platform.Clock.Advance(TimeSpan.FromDays(31));
        await platform.Grains.GetGrain<IMerchantGrain>(shop.MerchantId).CompleteTerminationIfDue();

        Assert.Equal(HttpStatusCode.OK, duringNotice.StatusCode);
        await (await merchantClient.GetAsync($"/v1/merchants/{shop.MerchantId}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await platform.Operator().PostAsync($"/v1/merchants/{shop.MerchantId}/api-key", null)).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    // P4.3 (*reviewer*): a closing merchant's keys worked until its erasure walk finished, which a large or stalled merchant
    // may take long over: past the date its users were told, it still read their orders, took payments, enrolled staff
    // and replaced its key. While closing it enrols nobody; past the date no key of it works and none is issued.
    [Fact]
    public async Task P4_3_a_closing_merchants_keys_end_on_its_closing_date_though_its_erasure_is_not_done()
    {
        var till = await platform.OpenTillAsync("Closing On Its Date");
        var merchantId = till.Merchant.MerchantId;
        await platform.Operator().PostAsJsonAsync($"/v1/merchants/{merchantId}/termination", new { noticeDays = 30 });
        var enrolDuringNotice = await till.Owner.PostAsJsonAsync($"/v1/merchants/{merchantId}/staff", new { name = "Late Hire", role = "cashier" });
        var ownerDuringNotice = await till.Owner.GetAsync($"/v1/merchants/{merchantId}/products");

        // No reminder tick runs the erasure: the merchant is still closing, its walk not begun.
        platform.Clock.Advance(TimeSpan.FromDays(31));
        var merchant = await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/merchants/{merchantId}");
        var replacedByOperator = await platform.Operator().PostAsync($"/v1/merchants/{merchantId}/api-key", null);

        Assert.Equal("merchant-closing", (await enrolDuringNotice.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf().Split('/')[^1]);
        Assert.Equal(HttpStatusCode.OK, ownerDuringNotice.StatusCode);
        Assert.Equal("terminating", merchant.GetProperty("status").GetString());
        await (await till.Owner.GetAsync($"/v1/merchants/{merchantId}/products")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await till.Manager.GetAsync($"/v1/merchants/{merchantId}/orders")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await till.Cashier.GetAsync($"/v1/merchants/{merchantId}/products")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await replacedByOperator.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    // P4.3, P1.6 (*reviewer*): past its date no key of the merchant works, yet its customer could still pay an open order:
    // nobody could give that money back (the erasure gives back only orders to be delivered).
    [Fact]
    public async Task P4_3_P1_6_a_customer_pays_a_merchant_past_its_closing_date_nothing()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(5_000);
        var order = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        await platform.Operator().PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/termination", new { noticeDays = 30 });
        platform.Clock.Advance(TimeSpan.FromDays(31));

        var paid = await shop.CustomerClient.PayAsync(order.Id(), "member-card", order.GetProperty("totalFen").GetInt64());

        Assert.EndsWith("/merchant-closed", (await paid.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal("pending-payment", (await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/orders/{order.Id()}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task P4_3_a_terminated_merchants_staff_keys_stop_working_with_it()
    {
        var till = await platform.OpenTillAsync("Closing With Its Staff");
        await platform.Operator().PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/termination", new { noticeDays = 30 });
        var cashierDuringNotice = await till.Cashier.GetAsync($"/v1/merchants/{till.MerchantId}/products");

        platform.Clock.Advance(TimeSpan.FromDays(31));
        await platform.Grains.GetGrain<IMerchantGrain>(till.MerchantId).CompleteTerminationIfDue();

        Assert.Equal(HttpStatusCode.OK, cashierDuringNotice.StatusCode);
        await (await till.Cashier.GetAsync($"/v1/merchants/{till.MerchantId}/products")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await till.Manager.GetAsync($"/v1/merchants/{till.MerchantId}/products")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    // A shop telling the receiver, an order of its customer paid in the app and still to be delivered, and the customer's
    // deletion of their addresses filed (not yet driven).
    private async Task<(Shop Shop, string OrderId, string RequestId)> PaidOrderThenItsAddressesDeletedAsync(WebhookReceiver receiver)
    {
        var shop = await platform.OpenShopAsync();
        await shop.MerchantClient.RegisterWebhookAsync(shop.Merchant.MerchantId, receiver);
        var order = (await shop.PlacePaidInTheAppAsync()).Id();
        var requestId = (await shop.CustomerClient.FileRequestAsync(
            shop.Customer.UserId, new { type = "deletion", details = new { categories = new[] { "addresses" } } })).RequestId();
        return (shop, order, requestId);
    }
}
