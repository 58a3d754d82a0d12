using System.Text.Json;
using MeiLing.Grains;
using MeiLing.Grains.Audit;
using MeiLing.Grains.Identity;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;

namespace MeiLing.Tests.Users;

/// <summary>
/// P5.1: a child's account waits for the guardian's code; P1.7: support confirms a request with the code the user
/// received; P8.1, P6.1: the user is told of every status change and of new policy versions.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class GuardianAndNoticeTests(PlatformFixture platform)
{
    private static readonly object SupportDeletion = new { type = "deletion", details = new { categories = new[] { "avatar" } }, reason = "caller asked by phone", verification = "callback to the registered number" };

    [Fact]
    public async Task P5_1_a_child_is_pending_guardian_and_processed_only_once_the_guardian_confirms_with_their_own_code()
    {
        var guardianPhone = UserApiClient.NewPhone();
        var child = await RegisterChildAsync(guardianPhone);
        var client = await platform.AsUserAsync(child);

        var pending = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{child.UserId}");
        var refused = await client.PostLocationAsync(child.UserId);
        var guardianCode = await platform.LatestCodeAsync(guardianPhone, "guardian-consent");
        var childsOwnCode = await platform.ObtainCodeAsync(child.Phone, "guardian-consent");
        var withChildsCode = await client.PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-confirmation", new { verificationCode = childsOwnCode });
        var confirmed = await client.PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-confirmation", new { verificationCode = guardianCode });
        var afterwards = await client.PostLocationAsync(child.UserId);

        Assert.Equal("pending-guardian", pending.GetProperty("status").GetString());
        Assert.EndsWith("/guardian-confirmation-pending", (await refused.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.EndsWith("/verification-failed", (await withChildsCode.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("active", (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        // Now only the ordinary rule stands: location needs its consent.
        Assert.EndsWith("/consent-required", (await afterwards.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        var notices = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{child.UserId}/notifications");
        Assert.Contains(notices.GetProperty("items").EnumerateArray(), notice => notice.GetProperty("kind").GetString() == "guardian-confirmed");
        var audited = await platform.Grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).About(child.UserId, 100);
        Assert.Contains(audited, record => record.Entry.Action == "guardian:confirmed");
    }

    // P5.1 (*reviewer*): a child awaiting their guardian granted location alone, and the guardian's confirmation, given for
    // the account, then let that grant take effect unseen. A child grants nothing until the guardian has confirmed.
    [Fact]
    public async Task P5_1_a_child_grants_no_consent_until_the_guardian_confirms_and_may_always_withdraw()
    {
        var guardianPhone = UserApiClient.NewPhone();
        var child = await RegisterChildAsync(guardianPhone);
        var client = await platform.AsUserAsync(child);
        var version = await platform.CurrentPolicyVersionAsync();
        var consent = $"/v1/users/{child.UserId}/consents/location";

        var grantedAlone = await client.PutAsJsonAsync(consent, new { granted = true, policyVersion = version });
        var withdrawn = await client.PutAsJsonAsync(consent, new { granted = false, policyVersion = version });
        var confirmed = await client.PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-confirmation",
            new { verificationCode = await platform.LatestCodeAsync(guardianPhone, "guardian-consent") });
        var grantedOnceConfirmed = await client.PutAsJsonAsync(consent, new { granted = true, policyVersion = version });

        Assert.EndsWith("/guardian-confirmation-pending", (await grantedAlone.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, grantedOnceConfirmed.StatusCode);
    }

    [Fact]
    public async Task P5_1_the_guardian_withdraws_consent_with_their_code_and_the_childs_account_is_cancelled()
    {
        var (child, guardianPhone, client) = await ChildWithConfirmedGuardianAsync();
        var anonymous = platform.Client();

        var withChildsCode = await anonymous.PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-withdrawal",
            new { verificationCode = await platform.ObtainCodeAsync(child.Phone, "guardian-withdrawal") });
        var withdrawn = await anonymous.PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-withdrawal",
            new { verificationCode = await platform.ObtainCodeAsync(guardianPhone, "guardian-withdrawal") });
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Guardian", "support")).ApiKey);
        var done = await support.WaitUntilDoneAsync((await withdrawn.Content.ReadFromJsonAsync<JsonElement>()).RequestId());

        Assert.EndsWith("/verification-failed", (await withChildsCode.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, withdrawn.StatusCode);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        await (await support.GetAsync($"/v1/users/{child.UserId}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    // The guardian, who has no account, had nothing to follow the child's erasure by: the platform's filing answered
    // without the follow-up code, and only the child's phone was texted one.
    [Fact]
    public async Task P5_1_P8_1_the_guardian_follows_the_erasure_their_withdrawal_started_with_the_code_it_answered_with()
    {
        var (child, guardianPhone, _) = await ChildWithConfirmedGuardianAsync();
        var anonymous = platform.Client();

        var withdrawn = await (await anonymous.PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-withdrawal",
            new { verificationCode = await platform.ObtainCodeAsync(guardianPhone, "guardian-withdrawal") })).Content.ReadFromJsonAsync<JsonElement>();
        var requestId = withdrawn.RequestId();
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Guardian Follow", "support")).ApiKey);
        await support.WaitUntilDoneAsync(requestId);
        var followed = await anonymous.PostAsJsonAsync($"/v1/requests/{requestId}/follow-up", new { code = withdrawn.GetProperty("followUpCode").GetString() });

        Assert.Equal(HttpStatusCode.OK, followed.StatusCode);
        Assert.Equal("completed", (await followed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    // Behind support's cancellation, which waits up to its confirmation window for the child's word, the account is not
    // closing yet: the guardian's withdrawal alone must stop the processing, not the erasure it leads to.
    [Fact]
    public async Task P5_1_once_the_guardian_withdraws_nothing_more_is_processed_even_while_supports_cancellation_awaits_the_childs_word()
    {
        var (child, guardianPhone, client) = await ChildWithConfirmedGuardianAsync();
        await client.SetConsentAsync(child.UserId, "location", granted: true, await platform.CurrentPolicyVersionAsync());
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Withdrawn", "support")).ApiKey);
        await support.FileRequestAsync(child.UserId, new
        {
            type = "cancellation", reason = "caller asked to close the account", verification = "callback to the registered number",
        });
        var sampledBefore = await client.PostLocationAsync(child.UserId);

        var withdrawn = await platform.Client().PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-withdrawal",
            new { verificationCode = await platform.ObtainCodeAsync(guardianPhone, "guardian-withdrawal") });
        var sampledAfter = await client.PostLocationAsync(child.UserId);
        var ticket = await client.PostAsJsonAsync($"/v1/users/{child.UserId}/tickets", new { subject = "Hello", message = "still here" });

        Assert.True(sampledBefore.IsSuccessStatusCode, await sampledBefore.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Accepted, withdrawn.StatusCode);
        Assert.EndsWith("/guardian-consent-withdrawn", (await sampledAfter.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.EndsWith("/guardian-consent-withdrawn", (await ticket.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
    }

    // P5.1, P3.1: the gate refused a withdrawn child's processing, but not the hand-overs: the merchant still read the
    // child's order whole and fulfilled it, its delivery going to the delivery partner, while support's cancellation
    // awaited the child's word (up to 7 days).
    [Fact]
    public async Task P5_1_P3_1_A_2_once_the_guardian_withdraws_a_merchant_neither_reads_the_childs_delivery_nor_hands_it_to_the_delivery_partner_nor_hears_why()
    {
        var (child, shop, placed) = await GuardianWithdrawsAfterAPaidOrderAsync(shop => shop.MerchantClient, "marked");
        var disclosedBefore = await DisclosureCountAsync(child.UserId);

        var read = await shop.MerchantClient.GetAsync($"/v1/orders/{placed.Id()}");
        var fulfilled = await shop.MerchantClient.PostAsJsonAsync($"/v1/orders/{placed.Id()}/status", new { status = "fulfilled" });

        // A.2 (*reviewer*): the merchant hears that nothing is processed, never why: that the customer is a child, or what their
        // guardian said, is not the merchant's to learn from a refusal.
        foreach (var refused in new[] { read, fulfilled })
        {
            var body = await refused.Content.ReadAsStringAsync();
            Assert.EndsWith("/processing-refused", (await refused.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
            Assert.DoesNotContain("guardian", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("child", body, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(disclosedBefore, await DisclosureCountAsync(child.UserId));
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM user_disclosures WHERE user_id = $1 AND recipient_kind = 'DeliveryPartner'", child.UserId));
    }

    // P5.1, P3.1, A.2: once the guardian withdrew, the merchant's reads of the child's orders were refused, but the child's
    // member card at the same merchant still answered its balance (property information, sensitive) to the merchant's key,
    // asked of no gate and recorded nowhere, while support's cancellation awaited the child's word.
    [Fact]
    public async Task P5_1_A_merchant_cannot_read_the_member_card_of_a_child_whose_guardian_withdrew()
    {
        var (child, guardianPhone, client) = await ChildWithConfirmedGuardianAsync();
        var shop = await platform.OpenShopAsync() with { Customer = child, CustomerClient = client };
        await shop.TopUpAsync(1_234);
        var card = $"/v1/merchants/{shop.Merchant.MerchantId}/member-cards/{child.UserId}";
        var readBefore = await shop.MerchantClient.GetAsync(card);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Card Withdrawn", "support")).ApiKey);
        await support.FileRequestAsync(child.UserId, new
        {
            type = "cancellation", reason = "caller asked to close the account", verification = "callback to the registered number",
        });
        var withdrawn = await platform.Client().PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-withdrawal",
            new { verificationCode = await platform.ObtainCodeAsync(guardianPhone, "guardian-withdrawal") });

        var readAfter = await shop.MerchantClient.GetAsync(card);

        Assert.Equal(HttpStatusCode.OK, readBefore.StatusCode);
        Assert.Equal(1_234, (await readBefore.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("balanceFen").GetInt64());
        // Recorded as an order read is: the merchant received the child's balance while it could.
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM user_disclosures WHERE user_id = $1 AND recipient = $2 AND purpose = 'member-card'", child.UserId, shop.Merchant.MerchantId));
        Assert.Equal(HttpStatusCode.Accepted, withdrawn.StatusCode);
        var body = await readAfter.Content.ReadAsStringAsync();
        // A.2: refused as the order read is, without saying why.
        Assert.EndsWith("/processing-refused", (await readAfter.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.DoesNotContain("1234", body, StringComparison.Ordinal);
        Assert.DoesNotContain("guardian", body, StringComparison.OrdinalIgnoreCase);
    }

    // The hand-over refusal must not keep a withdrawn child's money: a refund gives it back through the payment partner.
    [Fact]
    public async Task P5_1_once_the_guardian_withdraws_the_merchant_still_refunds_the_childs_payment()
    {
        var (_, shop, placed) = await GuardianWithdrawsAfterAPaidOrderAsync(shop => shop.CustomerClient, "wechat");

        var refunded = await shop.MerchantClient.PostAsJsonAsync($"/v1/orders/{placed.Id()}/refunds", new { amountFen = CommerceApiClient.TeaPrice });

        Assert.True(refunded.StatusCode == HttpStatusCode.Created, await refunded.Content.ReadAsStringAsync());
    }

    // A child whose guardian confirmed pays an order with a delivery; support files a cancellation for them, which awaits
    // the child's word; then the guardian withdraws.
    private async Task<(RegisteredUser Child, Shop Shop, JsonElement Placed)> GuardianWithdrawsAfterAPaidOrderAsync(Func<Shop, HttpClient> payer, string method)
    {
        var (child, guardianPhone, client) = await ChildWithConfirmedGuardianAsync();
        var shop = await platform.OpenShopAsync() with { Customer = child, CustomerClient = client };
        var placed = await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery(), teas: 1, cakes: 0);
        var paid = await payer(shop).PayAsync(placed.Id(), method, CommerceApiClient.TeaPrice);
        Assert.True(paid.IsSuccessStatusCode, await paid.Content.ReadAsStringAsync());
        // A partner's payment counts once its confirmation arrives: withdrawn before, the order is cancelled unpaid.
        await shop.MerchantClient.WaitForOrderStatusAsync(placed.Id(), "paid");
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Handover", "support")).ApiKey);
        await support.FileRequestAsync(child.UserId, new
        {
            type = "cancellation", reason = "caller asked to close the account", verification = "callback to the registered number",
        });
        var withdrawn = await platform.Client().PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-withdrawal",
            new { verificationCode = await platform.ObtainCodeAsync(guardianPhone, "guardian-withdrawal") });
        Assert.Equal(HttpStatusCode.Accepted, withdrawn.StatusCode);
        return (child, shop, placed);
    }

    // P5.1: a code naming the child was counted against the number's allowance only when the number was the child's
    // guardian's, so a 429 there told whoever held the child's id that a guessed number was the guardian's.
    [Fact]
    public async Task P5_1_a_guardian_code_naming_a_child_answers_202_even_when_the_guardians_allowance_is_spent()
    {
        var guardianPhone = UserApiClient.NewPhone();
        var child = await RegisterChildAsync(guardianPhone);
        var anonymous = platform.Client();
        while ((await anonymous.PostAsJsonAsync("/v1/verification-codes", new { phone = guardianPhone, purpose = "guardian-consent" })).StatusCode == HttpStatusCode.Accepted)
        {
        }

        var namingTheChild = await anonymous.PostAsJsonAsync("/v1/verification-codes", new { phone = guardianPhone, purpose = "guardian-consent", userId = child.UserId });

        Assert.Equal(HttpStatusCode.Accepted, namingTheChild.StatusCode);
    }

    // P5.1: a code naming a child was answered only once it was texted, its audit entry written, when the number was the
    // guardian's, and at once for any other number: the answer's time told whoever held the child's id who its guardian is.
    [Fact]
    public async Task P5_1_a_guardian_code_naming_a_child_is_answered_before_it_is_texted_as_for_any_other_number()
    {
        var guardianPhone = UserApiClient.NewPhone();
        var child = await RegisterChildAsync(guardianPhone);
        var textsBefore = await TextCountAsync(guardianPhone);

        using (HeldTexts.Hold(guardianPhone))
        {
            var asked = platform.Client().PostAsJsonAsync("/v1/verification-codes", new { phone = guardianPhone, purpose = "guardian-consent", userId = child.UserId });

            // While the text is held, an answer that waited for it never comes.
            var answer = await asked.WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        }

        await Polling.UntilAsync(async () => await TextCountAsync(guardianPhone) > textsBefore);
    }

    // P4.4, P5.1: the guardian's withdrawal is anonymous, so whoever holds the child's id (the child, who would rather
    // keep the account) could burn each withdrawal code with five wrong ones. Asked for naming the child, the code's id
    // has it tried with attempts of its own.
    [Fact]
    public async Task P5_1_P4_4_a_withdrawal_code_presented_with_its_id_cannot_be_burnt_by_whoever_holds_the_childs_id()
    {
        var (child, guardianPhone, _) = await ChildWithConfirmedGuardianAsync();
        var anonymous = platform.Client();
        var textsBefore = await TextCountAsync(guardianPhone);
        var sent = await anonymous.PostAsJsonAsync("/v1/verification-codes", new { phone = guardianPhone, purpose = "guardian-withdrawal", userId = child.UserId });
        var verificationId = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verificationId").GetString();
        await Polling.UntilAsync(async () => await TextCountAsync(guardianPhone) > textsBefore);
        var code = await platform.LatestCodeAsync(guardianPhone, "guardian-withdrawal");

        await BurnAsync(anonymous, $"/v1/users/{child.UserId}/guardian-withdrawal", code);
        var withdrawn = await anonymous.PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-withdrawal", new { verificationCode = code, verificationId });

        Assert.True(withdrawn.StatusCode == HttpStatusCode.Accepted, await withdrawn.Content.ReadAsStringAsync());
    }

    // P5.1: codes naming a child were counted in the number's own allowance: spent down to one by plain asks, the next
    // plain ask was 429 only when a send naming the child had been texted, that is when the number was the guardian's.
    [Fact]
    public async Task P5_1_codes_naming_a_child_spend_none_of_the_numbers_own_allowance()
    {
        var guardianPhone = UserApiClient.NewPhone();
        var child = await RegisterChildAsync(guardianPhone);
        var anonymous = platform.Client();
        var textsBefore = await TextCountAsync(guardianPhone);
        // Registering texted the guardian one code, counted as the child's too (*reviewer*: counted in the number's own, the
        // registration showed as one fewer plain ask); four plain asks leave the number one of its five.
        for (var i = 0; i < IVerificationCodeGrain.SendsPerWindow - 1; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await anonymous.PostAsJsonAsync("/v1/verification-codes", new { phone = guardianPhone, purpose = "guardian-consent" })).StatusCode);
        }

        await anonymous.PostAsJsonAsync("/v1/verification-codes", new { phone = guardianPhone, purpose = "guardian-consent", userId = child.UserId });
        await Polling.UntilAsync(async () => await TextCountAsync(guardianPhone) > textsBefore + IVerificationCodeGrain.SendsPerWindow - 1);
        var lastPlain = await anonymous.PostAsJsonAsync("/v1/verification-codes", new { phone = guardianPhone, purpose = "guardian-consent" });

        Assert.Equal(HttpStatusCode.Accepted, lastPlain.StatusCode);
    }

    // P5.1: attempts at a guardian's codes were counted per number and purpose: an account that named the same guardian
    // burnt, five wrong codes at a time, the code texted for another child, whose account was then erased after 7 days.
    [Fact]
    public async Task P5_1_another_account_naming_the_same_guardian_cannot_burn_the_code_texted_for_this_child()
    {
        var (guardianPhone, burning, burner, child, client) = await TwoChildrenNamingOneGuardianAsync();
        var codeForThisChild = await platform.LatestCodeAsync(guardianPhone, "guardian-consent");

        await BurnAsync(burner, $"/v1/users/{burning.UserId}/guardian-confirmation", codeForThisChild);

        await AssertConfirmedAsync(await client.PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-confirmation", new { verificationCode = codeForThisChild }));
    }

    [Fact]
    public async Task P5_1_a_guardian_code_asked_for_again_naming_the_child_cannot_be_burnt_by_another_account_naming_the_same_guardian()
    {
        var (guardianPhone, burning, burner, child, client) = await TwoChildrenNamingOneGuardianAsync();
        var resent = await ObtainGuardianCodeAsync(guardianPhone, "guardian-consent", child.UserId);

        await BurnAsync(burner, $"/v1/users/{burning.UserId}/guardian-confirmation", resent);

        await AssertConfirmedAsync(await client.PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-confirmation", new { verificationCode = resent }));
    }

    [Fact]
    public async Task P5_1_a_withdrawal_code_naming_the_child_cannot_be_burnt_by_another_account_naming_the_same_guardian()
    {
        var (child, guardianPhone, _) = await ChildWithConfirmedGuardianAsync();
        // Another child's account naming the same guardian, still awaiting them: anyone may try codes at its withdrawal.
        var burning = await RegisterChildAsync(guardianPhone);
        var anonymous = platform.Client();
        var toWithdraw = await ObtainGuardianCodeAsync(guardianPhone, "guardian-withdrawal", child.UserId);

        await BurnAsync(anonymous, $"/v1/users/{burning.UserId}/guardian-withdrawal", toWithdraw);
        var withdrawn = await anonymous.PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-withdrawal", new { verificationCode = toWithdraw });

        Assert.True(withdrawn.StatusCode == HttpStatusCode.Accepted, await withdrawn.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task P5_1_a_guardian_code_naming_a_child_goes_only_to_that_childs_guardian_and_answers_the_same_to_anyone_else()
    {
        var guardianPhone = UserApiClient.NewPhone();
        var child = await RegisterChildAsync(guardianPhone);
        var strangersPhone = UserApiClient.NewPhone();
        var anonymous = platform.Client();

        var toAStranger = await anonymous.PostAsJsonAsync("/v1/verification-codes", new { phone = strangersPhone, purpose = "guardian-consent", userId = child.UserId });
        var forNobody = await anonymous.PostAsJsonAsync("/v1/verification-codes", new { phone = guardianPhone, purpose = "guardian-consent", userId = EntityId.New(EntityId.UserPrefix) });
        var notAGuardiansPurpose = await anonymous.PostAsJsonAsync("/v1/verification-codes", new { phone = guardianPhone, purpose = "register", userId = child.UserId });
        var notAUserId = await anonymous.PostAsJsonAsync("/v1/verification-codes", new { phone = guardianPhone, purpose = "guardian-consent", userId = EntityId.New(EntityId.MerchantPrefix) });

        Assert.Equal(HttpStatusCode.Accepted, toAStranger.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, forNobody.StatusCode);
        var strangersTexts = await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/sandbox/sms?phone={strangersPhone}");
        Assert.Empty(strangersTexts.GetProperty("items").EnumerateArray());
        var guardiansTexts = await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/sandbox/sms?phone={guardianPhone}");
        Assert.Single(guardiansTexts.GetProperty("items").EnumerateArray());
        Assert.EndsWith("/purpose-not-for-a-child", (await notAGuardiansPurpose.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        await notAUserId.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task P5_1_a_guardian_code_sent_to_confirm_cannot_withdraw_and_one_asked_for_to_withdraw_cannot_confirm()
    {
        // The code registration texts asks the guardian to hand it on to confirm: whoever it is handed to (or reads it
        // over a shoulder) must not be able to spend it on closing the child's account, anonymously.
        var guardianPhone = UserApiClient.NewPhone();
        var child = await RegisterChildAsync(guardianPhone);
        var client = await platform.AsUserAsync(child);
        var anonymous = platform.Client();
        var toConfirm = await platform.LatestCodeAsync(guardianPhone, "guardian-consent");

        var withdrawnWithTheConfirmingCode = await anonymous.PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-withdrawal", new { verificationCode = toConfirm });

        Assert.EndsWith("/verification-failed", (await withdrawnWithTheConfirmingCode.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal("pending-guardian", (await client.GetFromJsonAsync<JsonElement>($"/v1/users/{child.UserId}")).GetProperty("status").GetString());

        // The other way round: the guardian asks for a code to refuse; the child, at the guardian's phone, cannot turn it
        // into consent.
        var toWithdraw = await platform.ObtainCodeAsync(guardianPhone, "guardian-withdrawal");
        var confirmedWithTheWithdrawingCode = await client.PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-confirmation", new { verificationCode = toWithdraw });

        Assert.EndsWith("/verification-failed", (await confirmedWithTheWithdrawingCode.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal("pending-guardian", (await client.GetFromJsonAsync<JsonElement>($"/v1/users/{child.UserId}")).GetProperty("status").GetString());
        Assert.Contains("撤回", (await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/sandbox/sms?phone={guardianPhone}"))
            .GetProperty("items").EnumerateArray().First(sms => sms.GetProperty("purpose").GetString() == "guardian-withdrawal").GetProperty("text").GetString(), StringComparison.Ordinal);

        // Each code still does what it was sent for.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-confirmation", new { verificationCode = toConfirm })).StatusCode);
        var withdrawn = await anonymous.PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-withdrawal", new { verificationCode = toWithdraw });
        Assert.True(withdrawn.StatusCode == HttpStatusCode.Accepted, await withdrawn.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task P5_1_a_child_correcting_their_birth_date_cannot_shed_the_guardians_withdrawal()
    {
        var (child, guardianPhone, client) = await ChildWithConfirmedGuardianAsync();

        var corrected = await client.PatchAsJsonAsync($"/v1/users/{child.UserId}", new { birthDate = "1990-01-01" });
        var withdrawn = await platform.Client().PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-withdrawal",
            new { verificationCode = await platform.ObtainCodeAsync(guardianPhone, "guardian-withdrawal") });

        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        Assert.False((await corrected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("isMinor").GetBoolean());
        Assert.True(withdrawn.StatusCode == HttpStatusCode.Accepted, await withdrawn.Content.ReadAsStringAsync());
    }

    // P5.1: a guardian named by someone who registered as 14 or older is never texted a code and proves nothing. Giving a
    // child's birth date afterwards, by a correction or a correction request, would have made an active child's account
    // that no guardian ever consented to and no deadline would erase.
    [Fact]
    public async Task P5_1_an_account_registered_as_an_adult_cannot_become_a_childs_by_correcting_its_birth_date()
    {
        var adult = await platform.RegisterUserAsync(new
        {
            birthDate = "1990-01-01",
            guardianConsent = new { guardianName = "Me", guardianPhone = UserApiClient.NewPhone(), relationship = "self" },
        });
        var client = await platform.AsUserAsync(adult);
        var childsBirthDate = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-8);

        var patched = await client.PatchAsJsonAsync($"/v1/users/{adult.UserId}", new { birthDate = childsBirthDate });
        var filed = await client.FileRequestAsync(adult.UserId, new { type = "correction", details = new { birthDate = childsBirthDate } });
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Birthday", "support")).ApiKey);
        var done = await support.WaitUntilDoneAsync(filed.RequestId());

        Assert.EndsWith("/guardian-consent-required", (await patched.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal("rejected", done.GetProperty("status").GetString());
        var profile = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{adult.UserId}");
        Assert.Equal("1990-01-01", profile.GetProperty("birthDate").GetString());
        Assert.False(profile.GetProperty("isMinor").GetBoolean());
        Assert.Equal("active", profile.GetProperty("status").GetString());
    }

    // The rule stands in no child's way: one whose guardian confirmed corrects their birth date to another under 14.
    [Fact]
    public async Task P5_1_a_child_whose_guardian_confirmed_corrects_their_birth_date_within_childhood()
    {
        var (child, _, client) = await ChildWithConfirmedGuardianAsync();

        var corrected = await client.PatchAsJsonAsync($"/v1/users/{child.UserId}", new { birthDate = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-11) });

        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        Assert.True((await corrected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("isMinor").GetBoolean());
    }

    // P5.1: a guardian named by someone registering as 14 or older, or with no birth date, is stored but never texted a
    // code: whoever holds that number (a wrong or recycled one, a parent never asked) asked for a withdrawal code and closed
    // the account with it, for the whole erasure.
    [Fact]
    public async Task P5_1_a_guardian_named_at_14_or_older_or_without_a_birth_date_cannot_close_the_account()
    {
        var strangerPhone = UserApiClient.NewPhone();
        var fifteen = await platform.RegisterUserAsync(new
        {
            birthDate = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-15),
            guardianConsent = new { guardianName = "王芳", guardianPhone = strangerPhone, relationship = "mother" },
        });
        var undated = await platform.RegisterUserAsync(new
        {
            guardianConsent = new { guardianName = "王芳", guardianPhone = strangerPhone, relationship = "mother" },
        });

        foreach (var user in new[] { fifteen, undated })
        {
            var withdrawn = await platform.Client().PostAsJsonAsync($"/v1/users/{user.UserId}/guardian-withdrawal",
                new { verificationCode = await platform.ObtainCodeAsync(strangerPhone, "guardian-withdrawal") });

            Assert.EndsWith("/verification-failed", (await withdrawn.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
            var client = await platform.AsUserAsync(user);
            Assert.Equal("active", (await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}")).GetProperty("status").GetString());
            var requests = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/requests");
            Assert.DoesNotContain(requests.GetProperty("items").EnumerateArray(), request => request.GetProperty("type").GetString() == "cancellation");
        }
    }

    [Fact]
    public async Task P5_1_a_withdrawal_for_an_adult_or_an_unknown_account_is_the_same_400()
    {
        var adult = await platform.RegisterUserAsync();
        var code = await platform.ObtainCodeAsync(adult.Phone, "guardian-withdrawal");

        var forAdult = await platform.Client().PostAsJsonAsync($"/v1/users/{adult.UserId}/guardian-withdrawal", new { verificationCode = code });
        var forNobody = await platform.Client().PostAsJsonAsync(
            $"/v1/users/{EntityId.New(EntityId.UserPrefix)}/guardian-withdrawal", new { verificationCode = code });

        Assert.EndsWith("/verification-failed", (await forAdult.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        Assert.EndsWith("/verification-failed", (await forNobody.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
    }

    // P5.1: the code proved only that the child reached the number they named: a child of 10 named a friend of 12, whose
    // account is itself a child's, had the code read out from the friend's phone, and was active without any guardian.
    [Fact]
    public async Task P5_1_a_child_cannot_confirm_a_guardian_whose_number_holds_a_minors_account()
    {
        var friendsGuardian = UserApiClient.NewPhone();
        var friend = await RegisterChildAsync(friendsGuardian, age: 12);
        var friendsClient = await platform.AsUserAsync(friend);
        await AssertConfirmedAsync(await friendsClient.PostAsJsonAsync($"/v1/users/{friend.UserId}/guardian-confirmation",
            new { verificationCode = await platform.LatestCodeAsync(friendsGuardian, "guardian-consent") }));
        var child = await RegisterChildAsync(friend.Phone);
        var client = await platform.AsUserAsync(child);

        var codeOnTheFriendsPhone = await ObtainGuardianCodeAsync(friend.Phone, "guardian-consent", child.UserId);
        var confirmed = await client.PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-confirmation", new { verificationCode = codeOnTheFriendsPhone });
        var sampled = await client.PostLocationAsync(child.UserId);

        // The same answer as a wrong code: the child is not told the number is a registered child's.
        Assert.EndsWith("/verification-failed", (await confirmed.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal("pending-guardian", (await client.GetFromJsonAsync<JsonElement>($"/v1/users/{child.UserId}")).GetProperty("status").GetString());
        Assert.EndsWith("/guardian-confirmation-pending", (await sampled.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
    }

    // The rule stands in no parent's way: a guardian whose number holds an adult's account confirms as one with none does.
    [Fact]
    public async Task P5_1_a_guardian_whose_number_holds_an_adults_account_confirms_the_child()
    {
        var parent = await platform.RegisterUserAsync(new { birthDate = "1985-03-01" });
        var child = await RegisterChildAsync(parent.Phone);
        var client = await platform.AsUserAsync(child);

        var confirmed = await client.PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-confirmation",
            new { verificationCode = await platform.LatestCodeAsync(parent.Phone, "guardian-consent") });

        await AssertConfirmedAsync(confirmed);
    }

    // P5.1: a guardian who withdrew while the account still awaited them, with support's cancellation in front of the
    // platform's erasure, was still texted consent codes, and the child confirmed with one: 200 "active" though nothing
    // could be processed, and the reminder that files the erasure the withdrawal owes was stopped.
    [Fact]
    public async Task P5_1_a_withdrawn_guardian_cannot_confirm_the_child_again()
    {
        var guardianPhone = UserApiClient.NewPhone();
        var child = await RegisterChildAsync(guardianPhone);
        var client = await platform.AsUserAsync(child);
        var toConfirm = await platform.LatestCodeAsync(guardianPhone, "guardian-consent");
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Withdrawn Pending", "support")).ApiKey);
        await support.FileRequestAsync(child.UserId, new
        {
            type = "cancellation", reason = "caller asked to close the account", verification = "callback to the registered number",
        });
        var withdrawn = await platform.Client().PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-withdrawal",
            new { verificationCode = await platform.ObtainCodeAsync(guardianPhone, "guardian-withdrawal") });
        Assert.True(withdrawn.StatusCode == HttpStatusCode.Accepted, await withdrawn.Content.ReadAsStringAsync());
        var consentTextsBefore = await TextCountAsync(guardianPhone, "guardian-consent");

        var asked = await platform.Client().PostAsJsonAsync("/v1/verification-codes", new { phone = guardianPhone, purpose = "guardian-consent", userId = child.UserId });
        // Texted after the consent code would have been, through the same code grain: once it is here, that one is not.
        await ObtainGuardianCodeAsync(guardianPhone, "guardian-withdrawal", child.UserId);
        var confirmed = await client.PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-confirmation", new { verificationCode = toConfirm });
        var sampled = await client.PostLocationAsync(child.UserId);

        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        Assert.Equal(consentTextsBefore, await TextCountAsync(guardianPhone, "guardian-consent"));
        Assert.EndsWith("/guardian-not-awaited", (await confirmed.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, sampled.StatusCode);
        Assert.Equal("pending-guardian", (await client.GetFromJsonAsync<JsonElement>($"/v1/users/{child.UserId}")).GetProperty("status").GetString());
        // The deadline's reminder stands, to file the platform's erasure should support's cancellation end without it.
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM orleans_reminders WHERE position($1 in grain_id) > 0 AND reminder_name = 'guardian-deadline'", child.UserId));
    }

    [Fact]
    public async Task P5_1_a_confirmation_when_none_is_awaited_is_409()
    {
        var adult = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(adult);

        var response = await client.PostAsJsonAsync($"/v1/users/{adult.UserId}/guardian-confirmation", new { verificationCode = "123456" });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task P1_7_support_confirms_a_request_with_the_code_the_user_received_but_not_with_a_wrong_one_or_none()
    {
        var user = await platform.RegisterUserAsync();
        var agent = await platform.EnrolStaffAsync("Agent Code", "support");
        var support = platform.Client(agent.ApiKey);
        var filed = await support.FileRequestAsync(user.UserId, SupportDeletion);
        var code = await platform.LatestCodeAsync(user.Phone, "confirm-request");

        var none = await support.PostAsJsonAsync($"/v1/requests/{filed.RequestId()}/confirmation", new { });
        var wrong = await support.PostAsJsonAsync($"/v1/requests/{filed.RequestId()}/confirmation", new { verificationCode = code == "000000" ? "000001" : "000000" });
        var confirmed = await support.PostAsJsonAsync($"/v1/requests/{filed.RequestId()}/confirmation", new { verificationCode = code });
        var done = await support.WaitUntilDoneAsync(filed.RequestId());

        await none.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.EndsWith("/verification-failed", (await wrong.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var audited = await platform.Grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).About(user.UserId, 100);
        Assert.Contains(audited, record => record.Entry.Action == "deletion:confirmed-with-code" && record.Entry.ActorId == agent.StaffId);
        Assert.Contains(audited, record => record.Entry.Action == "verification-code:sent");
    }

    [Fact]
    public async Task P1_7_a_code_sent_for_one_request_does_not_confirm_another()
    {
        var user = await platform.RegisterUserAsync();
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Two Requests", "support")).ApiKey);
        var deletion = await support.FileRequestAsync(user.UserId, SupportDeletion);
        var cancellation = await support.FileRequestAsync(user.UserId, new { type = "cancellation", reason = "r", verification = "v" });
        var codeForCancellation = await platform.LatestCodeAsync(user.Phone, "confirm-request");

        var onTheDeletion = await support.PostAsJsonAsync($"/v1/requests/{deletion.RequestId()}/confirmation", new { verificationCode = codeForCancellation });
        var text = (await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/sandbox/sms?phone={user.Phone}")).GetProperty("items")[0].GetProperty("text").GetString();

        Assert.EndsWith("/verification-failed", (await onTheDeletion.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        Assert.Contains($"cancellation {cancellation.RequestId()}", text, StringComparison.Ordinal);
    }

    // P1.7, P4.4: the user reads the code out to the agent. Named by its type alone ("cancellation"), the code for closing
    // the account read like any check of who was calling, and an agent saying "a code to verify you" got it.
    [Fact]
    public async Task P1_7_the_confirmation_text_says_what_reading_the_code_out_does()
    {
        var user = await platform.RegisterUserAsync();
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Plain Words", "support")).ApiKey);
        await support.FileRequestAsync(user.UserId, new { type = "cancellation", reason = "r", verification = "v" });

        var text = (await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/sandbox/sms?phone={user.Phone}")).GetProperty("items")[0].GetProperty("text").GetString();

        Assert.Contains("注销您的美零账户，删除您的全部数据", text, StringComparison.Ordinal);
        Assert.Contains("如非本人要求，请勿告知任何人", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task P5_1_a_child_cannot_name_their_own_number_as_the_guardians()
    {
        var phone = UserApiClient.NewPhone();
        var code = await platform.ObtainCodeAsync(phone, "register");

        var response = await platform.Client().PostAsJsonAsync("/v1/users", new
        {
            phone, password = "a long passphrase 7", nickname = "kid", verificationCode = code,
            birthDate = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-10),
            guardianConsent = new { guardianName = "me", guardianPhone = phone, relationship = "self" },
        });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.EndsWith("/guardian-phone-is-own", problem.TypeOf(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task P1_7_a_code_sent_for_another_purpose_does_not_confirm_a_request()
    {
        var user = await platform.RegisterUserAsync();
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Purpose", "support")).ApiKey);
        var filed = await support.FileRequestAsync(user.UserId, SupportDeletion);
        var resetCode = await platform.ObtainCodeAsync(user.Phone, "reset-password");

        var response = await support.PostAsJsonAsync($"/v1/requests/{filed.RequestId()}/confirmation", new { verificationCode = resetCode });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("awaiting-confirmation", (await support.GetFromJsonAsync<JsonElement>($"/v1/requests/{filed.RequestId()}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task P8_1_every_status_change_of_a_request_reaches_the_user_and_completion_by_sms_too()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var filed = await client.FileRequestAsync(user.UserId, new { type = "access" });
        await client.WaitUntilDoneAsync(filed.RequestId());

        var notices = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/notifications");
        var aboutIt = notices.GetProperty("items").EnumerateArray()
            .Where(notice => notice.GetProperty("subject").GetString() == filed.RequestId()).ToList();

        Assert.Equal(3, aboutIt.Count);
        Assert.All(aboutIt, notice => Assert.Equal("request-status", notice.GetProperty("kind").GetString()));
        Assert.Contains("completed", aboutIt[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.All(aboutIt, notice => Assert.False(string.IsNullOrEmpty(notice.GetProperty("notificationId").GetString())));
        var outbox = await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/sandbox/sms?phone={user.Phone}");
        Assert.Contains(outbox.GetProperty("items").EnumerateArray(), sms => sms.GetProperty("purpose").GetString() == "notice"
            && sms.GetProperty("text").GetString()!.Contains(filed.RequestId(), StringComparison.Ordinal));
    }

    [Fact]
    // The notice says the request was rejected and where to read why; the reason itself is on the request alone, where a
    // deletion can erase it (P4.1).
    public async Task P8_1_a_rejection_reaches_the_user_who_reads_its_reason_on_the_request()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Reject", "support")).ApiKey);
        var filed = await support.FileRequestAsync(user.UserId, SupportDeletion);

        await support.PostAsJsonAsync($"/v1/requests/{filed.RequestId()}/rejection", new { reason = "legal hold" });

        var notices = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/notifications?limit=1");
        var newest = notices.GetProperty("items")[0];
        Assert.Equal(filed.RequestId(), newest.GetProperty("subject").GetString());
        Assert.Contains("rejected", newest.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("Why is on the request", newest.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("legal hold", newest.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("legal hold", (await client.GetFromJsonAsync<JsonElement>($"/v1/requests/{filed.RequestId()}")).GetProperty("rejectionReason").GetString());
        Assert.NotEqual(JsonValueKind.Null, notices.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task P6_1_a_rights_reducing_version_is_shown_to_users_who_have_not_accepted_it_until_they_do()
    {
        await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var reducing = $"reduce-{Guid.NewGuid():N}"[..20];
        (await platform.Operator().PostAsJsonAsync("/v1/policies", new { version = reducing, summary = "Shares more with partners.", reducesRights = true })).EnsureSuccessStatusCode();

        var before = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/notifications");
        await client.SetConsentAsync(user.UserId, "album", false, reducing);
        var after = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/notifications");

        var told = Assert.Single(before.GetProperty("items").EnumerateArray(), notice => notice.GetProperty("subject").GetString() == reducing);
        Assert.Equal("policy-version", told.GetProperty("kind").GetString());
        Assert.Contains("reduces", told.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(after.GetProperty("items").EnumerateArray(), notice => notice.GetProperty("subject").GetString() == reducing);
    }

    // A child under 14 registered naming a guardian, whose guardian confirmed with their code; the child signed in.
    private async Task<(RegisteredUser Child, string GuardianPhone, HttpClient Client)> ChildWithConfirmedGuardianAsync()
    {
        var guardianPhone = UserApiClient.NewPhone();
        var child = await RegisterChildAsync(guardianPhone);
        var client = await platform.AsUserAsync(child);
        await client.PostAsJsonAsync($"/v1/users/{child.UserId}/guardian-confirmation", new { verificationCode = await platform.LatestCodeAsync(guardianPhone, "guardian-consent") });
        return (child, guardianPhone, client);
    }

    private Task<long> DisclosureCountAsync(string userId) =>
        platform.Database.ScalarAsync<long>("SELECT count(*) FROM user_disclosures WHERE user_id = $1", userId);

    // Two children's accounts naming one guardian: the first's holder tries codes at its own confirmation.
    private async Task<(string GuardianPhone, RegisteredUser Burning, HttpClient Burner, RegisteredUser Child, HttpClient Client)> TwoChildrenNamingOneGuardianAsync()
    {
        var guardianPhone = UserApiClient.NewPhone();
        var burning = await RegisterChildAsync(guardianPhone);
        var child = await RegisterChildAsync(guardianPhone);
        return (guardianPhone, burning, await platform.AsUserAsync(burning), child, await platform.AsUserAsync(child));
    }

    private static async Task AssertConfirmedAsync(HttpResponseMessage confirmed)
    {
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("active", (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    private async Task<string> ObtainGuardianCodeAsync(string guardianPhone, string purpose, string childUserId)
    {
        var textsBefore = await TextCountAsync(guardianPhone);
        var sent = await platform.Client().PostAsJsonAsync("/v1/verification-codes", new { phone = guardianPhone, purpose, userId = childUserId });
        Assert.True(sent.StatusCode == HttpStatusCode.Accepted, await sent.Content.ReadAsStringAsync());
        // The answer does not wait for the text (P5.1, above): the code is read once it has come.
        await Polling.UntilAsync(async () => await TextCountAsync(guardianPhone) > textsBefore);
        return await platform.LatestCodeAsync(guardianPhone, purpose);
    }

    // P4.4: a guardian's codes naming a child were counted as that child's alone, so whoever registered children naming a
    // stranger's number had it texted ten codes a day per child (and registering a child needs no code from the guardian).
    [Fact]
    public async Task P4_4_P5_1_codes_naming_many_children_text_one_guardian_number_no_more_than_a_day_for_all_children()
    {
        Assert.True(PhoneNumber.TryNormalize(UserApiClient.NewPhone(), out var phone));
        var hasher = ((Orleans.TestingHost.InProcessSiloHandle)platform.Cluster.Primary!).SiloHost.Services.GetRequiredService<MeiLing.Grains.Users.PhoneHasher>();
        var codes = platform.Grains.GetGrain<IVerificationCodeGrain>(hasher.IndexKey(phone));
        // Each child's first code of the day is its own; the rest of five each spend the children's day.
        var children = Enumerable.Range(0, IVerificationCodeGrain.SendsPerDayToAllChildren / (IVerificationCodeGrain.SendsPerWindow - 1) + 1)
            .Select(_ => EntityId.New(EntityId.UserPrefix)).ToList();
        foreach (var child in children.SkipLast(1))
        {
            for (var sent = 0; sent < IVerificationCodeGrain.SendsPerWindow; sent++)
            {
                await codes.Issue(VerificationIds.New(), IVerificationCodeGrain.ChildParty(child), phone, VerificationPurpose.GuardianConsent, child, scope: child);
            }
        }

        // Another child's first code is its own (a real guardian is not kept from it, *reviewer*); its second is the
        // children's, spent.
        await codes.Issue(VerificationIds.New(), IVerificationCodeGrain.ChildParty(children[^1]), phone, VerificationPurpose.GuardianConsent, children[^1], scope: children[^1]);
        var oneCodeMore = await Assert.ThrowsAsync<DomainException>(() =>
            codes.Issue(VerificationIds.New(), IVerificationCodeGrain.ChildParty(children[^1]), phone, VerificationPurpose.GuardianConsent, children[^1], scope: children[^1]));
        var withdrawalCode = codes.Issue(VerificationIds.New(), IVerificationCodeGrain.ChildParty(children[^1]), phone, VerificationPurpose.GuardianWithdrawal, children[^1], scope: children[^1]);

        Assert.Equal(DomainErrorKind.TooManyRequests, oneCodeMore.Kind);
        await withdrawalCode;
        Assert.Equal((children.Count - 1) * IVerificationCodeGrain.SendsPerWindow + 2, await TextCountAsync(phone));
    }

    // A.2, P5.1: a withdrawal naming an adult (or any account with no guardian to answer for it) was refused at once, one
    // naming a child after asking the guardian's codes: anyone holding user ids (a merchant, from its own orders) told the
    // children apart by the answer's time. It now asks a codes' grain too, that of a number nobody holds.
    [Fact]
    public async Task A_2_P5_1_a_withdrawal_naming_an_adult_asks_a_codes_grain_as_one_naming_a_child_does()
    {
        var adult = await platform.RegisterUserAsync();
        var hasher = ((Orleans.TestingHost.InProcessSiloHandle)platform.Cluster.Primary!).SiloHost.Services.GetRequiredService<PhoneHasher>();
        var noGuardians = platform.Grains.GetGrain<IVerificationCodeGrain>(hasher.IndexKey("no-guardian")); // UserGrain.NoGuardiansNumber
        var management = platform.Grains.GetGrain<IManagementGrain>(0);
        await noGuardians.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        await Polling.UntilAsync(async () => await management.GetGrainActivationCount((GrainReference)noGuardians) == 0);

        var refused = await platform.Client().PostAsJsonAsync($"/v1/users/{adult.UserId}/guardian-withdrawal", new { verificationCode = "123456" });

        Assert.EndsWith("/verification-failed", (await refused.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(1, await management.GetGrainActivationCount((GrainReference)noGuardians));
    }

    private async Task<int> TextCountAsync(string phone) =>
        (await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/sandbox/sms?phone={phone}")).GetProperty("items").GetArrayLength();

    private async Task<int> TextCountAsync(string phone, string purpose) =>
        (await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/sandbox/sms?phone={phone}")).GetProperty("items").EnumerateArray()
            .Count(sms => sms.GetProperty("purpose").GetString() == purpose);

    // Five wrong codes: as many attempts as a number's live codes of one purpose (and scope) take together.
    private static async Task BurnAsync(HttpClient client, string route, string rightCode)
    {
        var wrong = rightCode == "000000" ? "111111" : "000000";
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await client.PostAsJsonAsync(route, new { verificationCode = wrong });
        }
    }

    private async Task<RegisteredUser> RegisterChildAsync(string guardianPhone, int age = 10) =>
        await platform.RegisterUserAsync(new
        {
            birthDate = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-age),
            guardianConsent = new { guardianName = "王芳", guardianPhone, relationship = "mother" },
        });
}
