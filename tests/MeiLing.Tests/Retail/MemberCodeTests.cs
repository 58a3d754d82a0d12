using System.Text.Json;
using MeiLing.Grains.Identity;
using MeiLing.Grains.Orders;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.Infrastructure;
using MeiLing.Tests.Users;
using MeiLing.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MeiLing.Tests.Retail;

// A member card holds the member's money. Any key of the merchant could pay an order of any customer with that customer's
// card, so a cashier could place an order in a member's name, pay it from their balance and hand the goods to a friend,
// the member learning of it only when the balance came up short. Staff now draw on a card only with the code texted to the
// member for that order and amount, and every draw on a card reaches the member's notices, whoever made it.
[Collection(PlatformCollection.Name)]
public sealed class MemberCodeTests(PlatformFixture platform)
{
    [Fact]
    public async Task P1_6_a_cashier_draws_on_a_members_card_only_with_the_code_texted_to_the_member_for_that_order_and_amount()
    {
        var (till, member) = await MemberWithBalanceAsync("Member Code Shop", 10_000);
        var order = await PlaceForAsync(till, member, teas: 4);

        var withoutCode = await till.Cashier.PayAsync(order, "member-card", 1_000);
        Assert.EndsWith("/member-code-required", (await withoutCode.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        var guessed = await till.Cashier.PostAsJsonAsync($"/v1/orders/{order}/payments", new { method = "member-card", amountFen = 1_000, memberCode = "123456" });
        await guessed.AssertProblemAsync(HttpStatusCode.BadRequest);
        // A code the member agreed to for 5 yuan does not draw 10.
        Assert.Equal(HttpStatusCode.Accepted, (await till.Cashier.PostAsJsonAsync($"/v1/orders/{order}/member-code", new { amountFen = 500 })).StatusCode);
        var smallCode = await platform.LatestCodeAsync(member.Phone, "member-card-payment");
        var larger = await till.Cashier.PostAsJsonAsync($"/v1/orders/{order}/payments", new { method = "member-card", amountFen = 1_000, memberCode = smallCode });
        await larger.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(10_000, await BalanceAsync(till, member));

        var paid = await till.Cashier.PayWithMemberCodeAsync(platform, order, member.Phone, 1_000);

        Assert.Equal(HttpStatusCode.Created, paid.StatusCode);
        Assert.Equal(9_000, await BalanceAsync(till, member));
        var text = await TextOfLatestCodeAsync(member.Phone);
        Assert.Contains(order, text, StringComparison.Ordinal);
        Assert.Contains("10.00", text, StringComparison.Ordinal);
        Assert.Contains("Member Code Shop", text, StringComparison.Ordinal);
        // The code is spent: it does not pay again, not even the rest of the same order.
        var again = await till.Cashier.PostAsJsonAsync($"/v1/orders/{order}/payments",
            new { method = "member-card", amountFen = 1_000, memberCode = await platform.LatestCodeAsync(member.Phone, "member-card-payment") });
        await again.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(9_000, await BalanceAsync(till, member));
    }

    [Fact]
    public async Task P1_6_a_manager_needs_the_members_code_too_and_the_member_is_told_of_every_draw_on_their_card_whoever_made_it()
    {
        var (till, member) = await MemberWithBalanceAsync("Told Member Shop", 10_000);
        var byManager = await PlaceForAsync(till, member, teas: 1);
        var byOwner = await PlaceForAsync(till, member, teas: 1);
        var byMember = await PlaceForAsync(till, member, teas: 1);
        var memberClient = await platform.AsUserAsync(member);

        await (await till.Manager.PayAsync(byManager, "member-card", 500)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Created, (await till.Manager.PayWithMemberCodeAsync(platform, byManager, member.Phone, 500)).StatusCode);
        // The merchant's own key (the contract's merchant app) and the member themself pay without a code.
        Assert.Equal(HttpStatusCode.Created, (await till.Owner.PayAsync(byOwner, "member-card", 500)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await memberClient.PayAsync(byMember, "member-card", 500)).StatusCode);

        Assert.Equal(8_500, await BalanceAsync(till, member));
        var notices = (await memberClient.GetFromJsonAsync<JsonElement>($"/v1/users/{member.UserId}/notifications")).GetProperty("items").EnumerateArray()
            .Where(notice => notice.GetProperty("kind").GetString() == "member-card-charged")
            .Select(notice => notice.GetProperty("text").GetString()!)
            .ToList();
        Assert.Equal(3, notices.Count);
        Assert.All([byManager, byOwner, byMember], order => Assert.Single(notices, message => message.Contains(order, StringComparison.Ordinal)));
    }

    // A till that runs on the merchant's own key (the contract's merchant app) draws on a card without a code: a cashier
    // using that key could still spend a customer's balance. A member may choose that every draw needs their code.
    [Fact]
    public async Task P1_6_a_member_who_chose_so_is_asked_for_their_code_even_by_the_merchants_own_key()
    {
        var (till, member) = await MemberWithBalanceAsync("Protected Member Shop", 10_000);
        var memberClient = await platform.AsUserAsync(member);
        var protection = $"/v1/users/{member.UserId}/member-card-protection";
        Assert.False((await memberClient.GetFromJsonAsync<JsonElement>(protection)).GetProperty("codeAlways").GetBoolean());
        var chosen = await memberClient.PutAsJsonAsync(protection, new { codeAlways = true });
        Assert.True((await chosen.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("codeAlways").GetBoolean());
        var order = await PlaceForAsync(till, member, teas: 2);

        var withoutCode = await till.Owner.PayAsync(order, "member-card", 1_000);

        Assert.EndsWith("/member-code-required", (await withoutCode.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(10_000, await BalanceAsync(till, member));
        Assert.Equal(HttpStatusCode.Created, (await till.Owner.PayWithMemberCodeAsync(platform, order, member.Phone, 1_000)).StatusCode);
        Assert.Equal(9_000, await BalanceAsync(till, member));
        // The member still pays their own orders without a code; nobody else reads or makes the choice.
        var own = await PlaceForAsync(till, member, teas: 1);
        Assert.Equal(HttpStatusCode.Created, (await memberClient.PayAsync(own, "member-card", 500)).StatusCode);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Protection", "support")).ApiKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await support.PutAsJsonAsync(protection, new { codeAlways = false })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await till.Owner.PutAsJsonAsync(protection, new { codeAlways = false })).StatusCode);
        var other = await platform.AsUserAsync(await platform.RegisterUserAsync());
        Assert.NotEqual(HttpStatusCode.OK, (await other.PutAsJsonAsync(protection, new { codeAlways = false })).StatusCode);
        Assert.True((await memberClient.GetFromJsonAsync<JsonElement>(protection)).GetProperty("codeAlways").GetBoolean());
    }

    [Fact]
    public async Task P1_6_only_the_orders_merchant_asks_for_a_member_code_and_nobody_asks_for_one_through_the_public_code_route()
    {
        var (till, member) = await MemberWithBalanceAsync("Asking Shop", 10_000);
        var other = await platform.OpenTillAsync("Other Asking Shop");
        var order = await PlaceForAsync(till, member, teas: 1);
        var walkIn = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("TEA", 1));

        await (await other.Cashier.PostAsJsonAsync($"/v1/orders/{order}/member-code", new { amountFen = 500 })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await (await platform.AsUserAsync(member)).PostAsJsonAsync($"/v1/orders/{order}/member-code", new { amountFen = 500 }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await till.Cashier.PostAsJsonAsync($"/v1/orders/{walkIn.Id()}/member-code", new { amountFen = 500 })).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await till.Cashier.PostAsJsonAsync($"/v1/orders/{order}/member-code", new { amountFen = 501 })).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await till.Cashier.PostAsJsonAsync($"/v1/orders/{order}/member-code", new { amountFen = 0 })).AssertProblemAsync(HttpStatusCode.BadRequest);
        var asked = await platform.Client().PostAsJsonAsync("/v1/verification-codes", new { phone = member.Phone, purpose = "member-card-payment" });
        Assert.EndsWith("/purpose-not-requestable", (await asked.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        var malformed = await till.Cashier.PostAsJsonAsync($"/v1/orders/{order}/payments", new { method = "member-card", amountFen = 500, memberCode = "12ab56" });
        await malformed.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    // P4.4 (*reviewer*): a member-card payment the card could not cover was begun and abandoned, two writes of the order
    // each, so a loop of them rewrote the order bounded by nothing but the caller's rate. Now refused before anything is begun.
    [Fact]
    public async Task P4_4_payments_from_a_card_that_cannot_cover_them_write_nothing_to_the_order()
    {
        var (till, member) = await MemberWithBalanceAsync("Looping Short Card Shop", 1_000);
        var memberClient = await platform.AsUserAsync(member);
        var order = await PlaceForAsync(till, member, teas: 4);
        const string Version = "SELECT coalesce(max(version), 0) FROM orleans_storage WHERE grain_id_string = $1";
        var before = await platform.Database.ScalarAsync<int>(Version, order);

        var refused = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => memberClient.PayAsync(order, "member-card", 2_000)));

        foreach (var response in refused)
        {
            Assert.EndsWith("/insufficient-balance", (await response.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await platform.Database.ScalarAsync<int>(Version, order));
        Assert.Equal(HttpStatusCode.Created, (await memberClient.PayAsync(order, "member-card", 1_000)).StatusCode);
    }

    // P1.6 (*reviewer*): a payment retried under its Idempotency-Key (its answer lost on the way) drew on the card again: the
    // member paid twice for one order, the till seeing it paid.
    [Fact]
    public async Task P1_6_a_member_card_payment_retried_under_its_idempotency_key_draws_on_the_card_once()
    {
        var (till, member) = await MemberWithBalanceAsync("Retried Payment Shop", 3_000);
        var order = await PlaceForAsync(till, member, teas: 4);
        var memberClient = await platform.AsUserAsync(member);

        async Task<HttpResponseMessage> PayAsync(HttpClient client, string key, long amountFen)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/orders/{order}/payments")
            {
                Content = JsonContent.Create(new { method = "member-card", amountFen }),
            };
            request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request);
        }

        var first = await PayAsync(till.Owner, "till-7-payment-1", 1_000);
        var retried = await PayAsync(till.Owner, "till-7-payment-1", 1_000);
        var reused = await PayAsync(till.Owner, "till-7-payment-1", 500);
        // The member's own key of the same name is theirs: a payment of its own.
        var members = await PayAsync(memberClient, "till-7-payment-1", 500);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        var payments = (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payments").EnumerateArray().ToList();
        Assert.Equal(Assert.Single(payments).GetProperty("paymentId").GetString(),
            Assert.Single((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payments").EnumerateArray()).GetProperty("paymentId").GetString());
        Assert.EndsWith("/idempotency-key-reused", (await reused.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, members.StatusCode);
        Assert.Equal(1_500L, (await till.Owner.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/member-cards/{member.UserId}"))
            .GetProperty("balanceFen").GetInt64());
    }

    // P1.6 (*reviewer*): a card whose write failed kept the draw in memory while the order, told "refused", dropped the
    // payment: the balance read short, and the till's payment made again drew the money a second time, durably.
    [Fact]
    public async Task P1_6_a_card_draw_whose_write_failed_is_finished_once_and_never_made_twice()
    {
        var (till, member) = await MemberWithBalanceAsync("Failing Card Shop", 3_000);
        var order = await PlaceForAsync(till, member, teas: 4);
        var card = $"/v1/merchants/{till.MerchantId}/member-cards/{member.UserId}";

        var failed = await WhileStorageRefusesAsync($"{till.MerchantId}/{member.UserId}", () => till.Owner.PayAsync(order, "member-card", 1_000));
        var balanceAfterFailure = (await till.Owner.GetFromJsonAsync<JsonElement>(card)).GetProperty("balanceFen").GetInt64();
        // The till tries again after the 503, without a key: half of the bill, as before.
        var again = await till.Owner.PayAsync(order, "member-card", 1_000);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(3_000L, balanceAfterFailure);
        // The payment left begun was finished, and is the one asked again: one payment, the card drawn once.
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var order2 = await till.Owner.GetFromJsonAsync<JsonElement>($"/v1/orders/{order}");
        Assert.Equal("pending-payment", order2.GetProperty("status").GetString());
        Assert.Equal(1_000L, Assert.Single(order2.GetProperty("payments").EnumerateArray()).GetProperty("amountFen").GetInt64());
        Assert.Equal(2_000L, (await till.Owner.GetFromJsonAsync<JsonElement>(card)).GetProperty("balanceFen").GetInt64());
    }

    // P1.6 (*reviewer*): a payment whose card could not answer (503) stays begun. The till's retry finished it first, and
    // when the card then refused (the member had spent the balance meanwhile) the refusal was only logged: the keyless retry
    // was answered 201 with the order, as if paid, and a till trusting it handed the goods over unpaid; the keyed one 503.
    [Fact]
    public async Task P1_6_a_retried_payment_whose_begun_charge_is_then_refused_is_not_answered_as_paid()
    {
        var (till, member) = await MemberWithBalanceAsync("Refused Resume Shop", 3_000);
        var memberClient = await platform.AsUserAsync(member);
        var keyless = await PlaceForAsync(till, member, teas: 4);
        var keyed = await PlaceForAsync(till, member, teas: 4);
        var cardKey = $"{till.MerchantId}/{member.UserId}";
        var keyedFirst = await WhileStorageRefusesAsync(cardKey, () => PayWithKeyAsync(till.Owner, keyed, "till-3-payment-9", 1_000));
        var keylessFirst = await WhileStorageRefusesAsync(cardKey, () => till.Owner.PayAsync(keyless, "member-card", 1_000));
        // Meanwhile the member spends all but 5 yuan of the card on another order.
        Assert.Equal(HttpStatusCode.Created, (await memberClient.PayAsync(await PlaceForAsync(till, member, teas: 5), "member-card", 2_500)).StatusCode);

        var keylessRetried = await till.Owner.PayAsync(keyless, "member-card", 1_000);
        var keyedRetried = await PayWithKeyAsync(till.Owner, keyed, "till-3-payment-9", 1_000);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, keyedFirst.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, keylessFirst.StatusCode);
        Assert.EndsWith("/insufficient-balance", (await keylessRetried.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        Assert.EndsWith("/insufficient-balance", (await keyedRetried.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        foreach (var order in new[] { keyless, keyed })
        {
            var read = await till.Owner.OrderAsync(order);
            Assert.Equal("pending-payment", read.GetProperty("status").GetString());
            Assert.Empty(read.GetProperty("payments").EnumerateArray());
        }

        Assert.Equal(500, await BalanceAsync(till, member));
    }

    // P1.6 (*reviewer*): the member code was spent only by the request that began the card payment. A begun one (its card
    // could not answer) finished by the till's retry, or by the order's next activation, left the code good for its minutes:
    // a cashier could draw the same amount on the same order again with it.
    [Fact]
    public async Task P1_6_a_member_code_is_spent_once_a_begun_card_payment_completes_on_a_retry_or_on_activation()
    {
        var (till, member) = await MemberWithBalanceAsync("Begun Code Shop", 10_000);
        var cardKey = $"{till.MerchantId}/{member.UserId}";
        var retried = await PlaceForAsync(till, member, teas: 4);
        var reactivated = await PlaceForAsync(till, member, teas: 4);

        async Task<string> BegunWithCodeAsync(string order)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await till.Cashier.PostAsJsonAsync($"/v1/orders/{order}/member-code", new { amountFen = 1_000 })).StatusCode);
            var code = await platform.LatestCodeAsync(member.Phone, "member-card-payment");
            var unanswered = await WhileStorageRefusesAsync(cardKey, () =>
                till.Cashier.PostAsJsonAsync($"/v1/orders/{order}/payments", new { method = "member-card", amountFen = 1_000, memberCode = code }));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unanswered.StatusCode);
            return code;
        }

        var retriedCode = await BegunWithCodeAsync(retried);
        var finishedByRetry = await till.Cashier.PostAsJsonAsync($"/v1/orders/{retried}/payments", new { method = "member-card", amountFen = 1_000, memberCode = retriedCode });
        var reactivatedCode = await BegunWithCodeAsync(reactivated);
        // The order's next activation finishes the begun payment by itself, before the read it was activated for.
        await platform.Grains.GetGrain<IOrderGrain>(reactivated).EndActivationAsync();
        var finishedOnActivation = await till.Owner.OrderAsync(reactivated);

        // The same code, for the same order and amount (the rest of each order): spent, it draws nothing more.
        var againAfterRetry = await till.Cashier.PostAsJsonAsync($"/v1/orders/{retried}/payments", new { method = "member-card", amountFen = 1_000, memberCode = retriedCode });
        var againAfterActivation = await till.Cashier.PostAsJsonAsync($"/v1/orders/{reactivated}/payments", new { method = "member-card", amountFen = 1_000, memberCode = reactivatedCode });

        Assert.Equal(HttpStatusCode.Created, finishedByRetry.StatusCode);
        Assert.Equal(1_000L, Assert.Single(finishedOnActivation.GetProperty("payments").EnumerateArray()).GetProperty("amountFen").GetInt64());
        Assert.EndsWith("/verification-failed", (await againAfterRetry.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        Assert.EndsWith("/verification-failed", (await againAfterActivation.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(8_000, await BalanceAsync(till, member));
    }

    private static async Task<HttpResponseMessage> PayWithKeyAsync(HttpClient client, string order, string key, long amountFen)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/orders/{order}/payments")
        {
            Content = JsonContent.Create(new { method = "member-card", amountFen }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    // The card's state writes refused while act runs (StorageRefusals, shared with the order tests).
    private Task<T> WhileStorageRefusesAsync<T>(string grainKey, Func<Task<T>> act) =>
        platform.Database.WhileStateWritesRefusedAsync(grainKey, act);

    // A till asked for codes the card could not cover, texting the member for nothing, and a code tried on a balance that
    // had since run short was spent all the same, so the member had to be asked again once the card was topped up.
    [Fact]
    public async Task P1_6_a_member_code_is_neither_texted_for_nor_spent_on_a_draw_the_card_cannot_cover()
    {
        var (till, member) = await MemberWithBalanceAsync("Short Card Shop", 1_000);
        var memberClient = await platform.AsUserAsync(member);
        var order = await PlaceForAsync(till, member, teas: 4);

        var beyondBalance = await till.Cashier.PostAsJsonAsync($"/v1/orders/{order}/member-code", new { amountFen = 2_000 });

        Assert.EndsWith("/insufficient-balance", (await beyondBalance.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        Assert.Empty(await MemberCodeTextsToAsync(member.Phone));
        Assert.Equal(HttpStatusCode.Accepted, (await till.Cashier.PostAsJsonAsync($"/v1/orders/{order}/member-code", new { amountFen = 1_000 })).StatusCode);
        var code = await platform.LatestCodeAsync(member.Phone, "member-card-payment");
        // The member spends from the card before the till uses the code.
        Assert.Equal(HttpStatusCode.Created, (await memberClient.PayAsync(await PlaceForAsync(till, member, teas: 1), "member-card", 500)).StatusCode);
        var shortNow = await till.Cashier.PostAsJsonAsync($"/v1/orders/{order}/payments", new { method = "member-card", amountFen = 1_000, memberCode = code });
        Assert.EndsWith("/insufficient-balance", (await shortNow.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await till.Owner.PostAsJsonAsync(
            $"/v1/merchants/{till.MerchantId}/member-cards/{member.UserId}/top-ups", new { amountFen = 1_000 })).StatusCode);

        var paid = await till.Cashier.PostAsJsonAsync($"/v1/orders/{order}/payments", new { method = "member-card", amountFen = 1_000, memberCode = code });

        Assert.Equal(HttpStatusCode.Created, paid.StatusCode);
        Assert.Equal(500, await BalanceAsync(till, member));
        Assert.Single(await MemberCodeTextsToAsync(member.Phone));
    }

    // The member's allowance of member-code texts was one for every shop: a till asking for codes it never meant to use
    // (a merchant spiting a rival, a cashier's script) spent it, and every other shop's till was refused (429) the
    // member's code, so no staff key took the member's card anywhere for the rest of the window, or of the day.
    [Fact]
    public async Task P1_6_P4_4_one_shop_asking_for_member_codes_without_end_does_not_stop_another_shop_asking_for_one()
    {
        var (spiteful, member) = await MemberWithBalanceAsync("Spiteful Shop", 10_000);
        var rival = await platform.OpenTillAsync("Rival Shop");
        await rival.Manager.AddStockedProductAsync(rival.MerchantId, "TEA", 500, stock: null);
        Assert.Equal(HttpStatusCode.OK, (await rival.Owner.PostAsJsonAsync(
            $"/v1/merchants/{rival.MerchantId}/member-cards/{member.UserId}/top-ups", new { amountFen = 1_000 })).StatusCode);
        var spitefulOrder = await PlaceForAsync(spiteful, member, teas: 1);
        var rivalOrder = await PlaceForAsync(rival, member, teas: 1);
        for (var i = 0; i < IVerificationCodeGrain.SendsPerWindow; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await spiteful.Cashier.PostAsJsonAsync($"/v1/orders/{spitefulOrder}/member-code", new { amountFen = 500 })).StatusCode);
        }

        var spitefulAgain = await spiteful.Cashier.PostAsJsonAsync($"/v1/orders/{spitefulOrder}/member-code", new { amountFen = 500 });
        var rivalPaid = await rival.Cashier.PayWithMemberCodeAsync(platform, rivalOrder, member.Phone, 500);

        await spitefulAgain.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.Created, rivalPaid.StatusCode);
        Assert.Equal(500, await BalanceAsync(rival, member));
    }

    // P1.6: attempts were counted per code's scope (order and amount), so a till asking for the member's code again with
    // another amount got five fresh guesses each time: about fifty a day for every member with a balance at the shop.
    [Fact]
    public async Task P1_6_a_tills_wrong_member_codes_count_together_across_amounts_so_asking_again_buys_no_more_guesses()
    {
        var (till, member) = await MemberWithBalanceAsync("Guessing Shop", 10_000);
        var order = await PlaceForAsync(till, member, teas: 4);
        var wrongAnswers = new List<HttpStatusCode>();
        foreach (var amountFen in new[] { 100, 200 })
        {
            Assert.Equal(HttpStatusCode.Accepted, (await till.Cashier.PostAsJsonAsync($"/v1/orders/{order}/member-code", new { amountFen })).StatusCode);
            var sent = await platform.LatestCodeAsync(member.Phone, "member-card-payment");
            for (var guess = 0; guess < 5; guess++)
            {
                var wrong = await till.Cashier.PostAsJsonAsync($"/v1/orders/{order}/payments",
                    new { method = "member-card", amountFen, memberCode = sent == "000000" ? "111111" : "000000" });
                wrongAnswers.Add(wrong.StatusCode);
            }
        }

        Assert.Equal(HttpStatusCode.Accepted, (await till.Cashier.PostAsJsonAsync($"/v1/orders/{order}/member-code", new { amountFen = 300 })).StatusCode);
        var withTheRightCode = await till.Cashier.PostAsJsonAsync($"/v1/orders/{order}/payments",
            new { method = "member-card", amountFen = 300, memberCode = await platform.LatestCodeAsync(member.Phone, "member-card-payment") });

        Assert.All(wrongAnswers, status => Assert.Equal(HttpStatusCode.BadRequest, status));
        Assert.EndsWith("/quota-exceeded", (await withTheRightCode.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(10_000, await BalanceAsync(till, member));
    }

    // P1.6, P4.4: each member got at most ten member-code texts a day from one shop, but nothing bounded how many members:
    // a cashier's script texted every member with a balance ten times a day, at the platform's cost and in the shop's name.
    [Fact]
    public async Task P1_6_P4_4_a_staff_key_has_at_most_its_days_member_codes_texted_and_another_key_of_the_shop_still_may()
    {
        var (till, first) = await MemberWithBalanceAsync("Texting Till Shop", 10_000);
        var second = await AnotherMemberAsync(till, 10_000);
        var firstOrder = await PlaceForAsync(till, first, teas: 1);
        var secondOrder = await PlaceForAsync(till, second, teas: 1);
        await AskAsync(till.Cashier, firstOrder, IVerificationCodeGrain.SendsPerWindow);
        await AskAsync(till.Cashier, secondOrder, TestSiloConfigurator.MemberCodesPerStaffPerDay - IVerificationCodeGrain.SendsPerWindow);

        var beyond = await till.Cashier.PostAsJsonAsync($"/v1/orders/{secondOrder}/member-code", new { amountFen = 500 });
        var textsToSecond = (await MemberCodeTextsToAsync(second.Phone)).Count;
        var byManager = await till.Manager.PostAsJsonAsync($"/v1/orders/{secondOrder}/member-code", new { amountFen = 500 });

        Assert.EndsWith("/quota-exceeded", (await beyond.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.NotNull(beyond.Headers.RetryAfter);
        Assert.Equal(TestSiloConfigurator.MemberCodesPerStaffPerDay - IVerificationCodeGrain.SendsPerWindow, textsToSecond);
        Assert.Equal(HttpStatusCode.Accepted, byManager.StatusCode);
    }

    // P1.6, P4.4: a key's own day alone let a merchant enrol staff keys (up to 10,000) and text with each in turn.
    [Fact]
    public async Task P1_6_P4_4_a_merchants_keys_together_have_at_most_the_shops_days_member_codes_texted()
    {
        var (till, first) = await MemberWithBalanceAsync("Texting Chain Shop", 10_000);
        var second = await AnotherMemberAsync(till, 10_000);
        var third = await AnotherMemberAsync(till, 10_000);
        var firstOrder = await PlaceForAsync(till, first, teas: 1);
        var secondOrder = await PlaceForAsync(till, second, teas: 1);
        var thirdOrder = await PlaceForAsync(till, third, teas: 1);
        await AskAsync(till.Cashier, firstOrder, IVerificationCodeGrain.SendsPerWindow);
        await AskAsync(till.Cashier, secondOrder, TestSiloConfigurator.MemberCodesPerStaffPerDay - IVerificationCodeGrain.SendsPerWindow);
        var left = TestSiloConfigurator.MemberCodesPerMerchantPerDay - TestSiloConfigurator.MemberCodesPerStaffPerDay;
        await AskAsync(till.Manager, thirdOrder, left);

        var byOwner = await till.Owner.PostAsJsonAsync($"/v1/orders/{thirdOrder}/member-code", new { amountFen = 500 });

        Assert.EndsWith("/quota-exceeded", (await byOwner.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(left, (await MemberCodeTextsToAsync(third.Phone)).Count);
    }

    private static async Task AskAsync(HttpClient key, string orderId, int times)
    {
        for (var i = 0; i < times; i++)
        {
            var asked = await key.PostAsJsonAsync($"/v1/orders/{orderId}/member-code", new { amountFen = 500 });
            Assert.True(asked.StatusCode == HttpStatusCode.Accepted, await asked.Content.ReadAsStringAsync());
        }
    }

    private async Task<RegisteredUser> AnotherMemberAsync(Till till, long balanceFen)
    {
        var member = await platform.RegisterUserAsync();
        var topUp = await till.Owner.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/member-cards/{member.UserId}/top-ups", new { amountFen = balanceFen });
        Assert.Equal(HttpStatusCode.OK, topUp.StatusCode);
        return member;
    }

    // P1.6, P4.4 (*reviewer*): each member code takes five guesses, and a till asks fresh ones for each order: one cashier's
    // key guessing across codes and orders had some thousand guesses a day at drawing on members' cards. Its wrong codes
    // count against its own day, as an agent's do; another key of the shop is not held up by them.
    [Fact]
    public async Task P1_6_P4_4_a_tills_wrong_member_codes_are_counted_across_orders_against_its_own_day()
    {
        var (till, member) = await MemberWithBalanceAsync("Guessing Till Shop", 10_000);
        var orders = new[] { await PlaceForAsync(till, member, teas: 1), await PlaceForAsync(till, member, teas: 1) };
        await using var api = platform.Api.WithWebHostBuilder(web => web.UseSetting("RATE_LIMIT_WRONG_MEMBER_CODES_PER_STAFF_KEY_PER_DAY", "2"));
        HttpClient Keyed(HttpClient client)
        {
            var keyed = api.CreateClient();
            keyed.DefaultRequestHeaders.Add("X-Api-Key", client.DefaultRequestHeaders.GetValues("X-Api-Key").Single());
            return keyed;
        }

        var cashier = Keyed(till.Cashier);
        Task<HttpResponseMessage> GuessAsync(HttpClient by, string order) =>
            by.PostAsJsonAsync($"/v1/orders/{order}/payments", new { method = "member-card", amountFen = 500, memberCode = "123456" });

        var wrong = new[] { await GuessAsync(cashier, orders[0]), await GuessAsync(cashier, orders[1]) };
        var past = await GuessAsync(cashier, orders[1]);
        var byTheManager = await GuessAsync(Keyed(till.Manager), orders[0]);

        foreach (var guess in wrong)
        {
            Assert.True(guess.StatusCode == HttpStatusCode.BadRequest, await guess.Content.ReadAsStringAsync());
        }

        Assert.EndsWith("/too-many-wrong-codes", (await past.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, byTheManager.StatusCode);
        Assert.Equal(10_000, await BalanceAsync(till, member));
    }

    // P1.6, P4.4 (*reviewer*): a till's day of wrong member codes was held in each API host's memory: behind a balancer of
    // N hosts a key had N days, and a restart or deploy handed out a fresh one. The day is one across the cluster now, and
    // a right code still costs it nothing.
    [Fact]
    public async Task P1_6_P4_4_a_tills_day_of_wrong_member_codes_is_one_across_api_hosts()
    {
        var (till, member) = await MemberWithBalanceAsync("Two Hosts Till Shop", 10_000);
        var orders = new[] { await PlaceForAsync(till, member, teas: 1), await PlaceForAsync(till, member, teas: 1) };
        await using var firstHost = platform.Api.WithWebHostBuilder(web => web.UseSetting("RATE_LIMIT_WRONG_MEMBER_CODES_PER_STAFF_KEY_PER_DAY", "2"));
        await using var secondHost = platform.Api.WithWebHostBuilder(web => web.UseSetting("RATE_LIMIT_WRONG_MEMBER_CODES_PER_STAFF_KEY_PER_DAY", "2"));
        var onTheFirst = KeyedOn(firstHost, till.Cashier);

        var paid = await onTheFirst.PayWithMemberCodeAsync(platform, orders[0], member.Phone, 500);
        var wrong = new[] { await GuessAsync(onTheFirst, orders[1]), await GuessAsync(onTheFirst, orders[1]) };
        var onTheSecond = await GuessAsync(KeyedOn(secondHost, till.Cashier), orders[1]);

        Assert.True(paid.StatusCode == HttpStatusCode.Created, await paid.Content.ReadAsStringAsync());
        foreach (var guess in wrong)
        {
            Assert.True(guess.StatusCode == HttpStatusCode.BadRequest, await guess.Content.ReadAsStringAsync());
        }

        Assert.EndsWith("/too-many-wrong-codes", (await onTheSecond.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.InRange(onTheSecond.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Assert.Equal(9_500, await BalanceAsync(till, member));
    }

    // P1.6, P4.4 (*reviewer*): counted by key alone, a manager enrolling cashier keys had a fresh day of guesses with each.
    // All of a merchant's keys share one day across the cluster as well.
    [Fact]
    public async Task P1_6_P4_4_a_merchants_keys_share_one_day_of_wrong_member_codes_so_a_new_key_brings_no_fresh_one()
    {
        var (till, member) = await MemberWithBalanceAsync("Many Keys Till Shop", 10_000);
        var order = await PlaceForAsync(till, member, teas: 1);
        await using var api = platform.Api.WithWebHostBuilder(web => web.UseSetting("RATE_LIMIT_WRONG_MEMBER_CODES_PER_MERCHANT_PER_DAY", "2"));
        var cashier = KeyedOn(api, till.Cashier);

        var wrong = new[] { await GuessAsync(cashier, order), await GuessAsync(cashier, order) };
        var enrolled = await till.Manager.EnrolAsync(till.MerchantId, "Fresh Cashier", "cashier");
        var byTheNewKey = await GuessAsync(KeyedOn(api, platform.Client(enrolled.ApiKey)), order);

        foreach (var guess in wrong)
        {
            Assert.True(guess.StatusCode == HttpStatusCode.BadRequest, await guess.Content.ReadAsStringAsync());
        }

        Assert.EndsWith("/too-many-wrong-codes", (await byTheNewKey.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(10_000, await BalanceAsync(till, member));
    }

    // A client of another API host with the same key as the given one.
    private static HttpClient KeyedOn(WebApplicationFactory<ApiAssemblyMarker> api, HttpClient client)
    {
        var keyed = api.CreateClient();
        keyed.DefaultRequestHeaders.Add("X-Api-Key", client.DefaultRequestHeaders.GetValues("X-Api-Key").Single());
        return keyed;
    }

    private static Task<HttpResponseMessage> GuessAsync(HttpClient by, string order) =>
        by.PostAsJsonAsync($"/v1/orders/{order}/payments", new { method = "member-card", amountFen = 500, memberCode = "123456" });

    private async Task<(Till Till, RegisteredUser Member)> MemberWithBalanceAsync(string shop, long balanceFen)
    {
        var till = await platform.OpenTillAsync(shop);
        await till.Manager.AddStockedProductAsync(till.MerchantId, "TEA", 500, stock: null);
        var member = await platform.RegisterUserAsync();
        var topUp = await till.Owner.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/member-cards/{member.UserId}/top-ups", new { amountFen = balanceFen });
        Assert.Equal(HttpStatusCode.OK, topUp.StatusCode);
        return (till, member);
    }

    private static async Task<string> PlaceForAsync(Till till, RegisteredUser member, int teas)
    {
        var placed = await till.Cashier.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/orders",
            new { userId = member.UserId, items = new[] { new { sku = "TEA", quantity = teas } } });
        Assert.True(placed.StatusCode == HttpStatusCode.Created, await placed.Content.ReadAsStringAsync());
        return (await placed.Content.ReadFromJsonAsync<JsonElement>()).Id();
    }

    private static async Task<long> BalanceAsync(Till till, RegisteredUser member) =>
        (await till.Owner.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/member-cards/{member.UserId}")).GetProperty("balanceFen").GetInt64();

    private async Task<string> TextOfLatestCodeAsync(string phone) => (await MemberCodeTextsToAsync(phone))[0];

    private async Task<IReadOnlyList<string>> MemberCodeTextsToAsync(string phone) =>
        [.. (await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/sandbox/sms?phone={phone}")).GetProperty("items").EnumerateArray()
            .Where(message => message.GetProperty("purpose").GetString() == "member-card-payment").Select(message => message.GetProperty("text").GetString()!)];
}
