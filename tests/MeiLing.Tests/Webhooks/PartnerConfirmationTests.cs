using System.Text.Json;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using MeiLing.Tests.Api;
using MeiLing.Tests.DataRights;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.Webhooks;

/// <summary>
/// A payment or delivery partner told of a user's request, or of a consent withdrawn directly, confirms it acted by a
/// call signed with its own secret (P3.1): the user and support then see it confirmed, and nobody else can say so for it.
/// The partner here is one the silos have no adapter for, so its notice fails and support chases it until it confirms.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PartnerConfirmationTests(PlatformFixture platform)
{
    private const string Partner = TestSiloConfigurator.UnadaptedPartner;
    private const string Path = $"/v1/payment-partners/{Partner}/recipient-confirmations";

    private static string Secret(string partner) => TestSiloConfigurator.PartnerSecretsByName[partner];

    private static string Confirmation(string causeId) => JsonSerializer.Serialize(new { causeId });

    [Fact]
    public async Task P3_1_a_partner_confirms_a_request_by_a_call_signed_with_its_secret_and_support_stops_chasing_it()
    {
        var (client, requestId) = await RequestReachingThePartnerAsync();
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Partner Chase", "support")).ApiKey);
        var failed = await client.WaitForRecipientAsync(requestId, Partner, "failed");
        var chased = await support.UnconfirmedRequestIdsAsync();

        var confirmed = await platform.PostSignedAsync(Path, Confirmation(requestId), Secret(Partner));
        var seenByUser = await client.WaitForRecipientAsync(requestId, Partner, "confirmed");
        var seenBySupport = await support.WaitForRecipientAsync(requestId, Partner, "confirmed");
        var chasedAfter = await support.UnconfirmedRequestIdsAsync();

        Assert.Equal("payment-partner", failed.GetProperty("recipientKind").GetString());
        Assert.Contains(requestId, chased);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("confirmed", (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, seenByUser.GetProperty("confirmedAt").ValueKind);
        Assert.Equal(seenByUser.GetProperty("confirmedAt").GetString(), seenBySupport.GetProperty("confirmedAt").GetString());
        Assert.DoesNotContain(requestId, chasedAfter);
    }

    [Fact]
    public async Task P1_10_P3_1_a_partner_confirms_a_consent_withdrawn_directly_under_its_receipt()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var receiptId = await platform.WithdrawAfterDisclosingAsync(client, user.UserId, Partner, RecipientKind.PaymentPartner);
        await client.WaitForReceiptRecipientAsync(receiptId, "failed", Partner);

        var confirmed = await platform.PostSignedAsync(Path, Confirmation(receiptId), Secret(Partner));
        var seen = await client.WaitForReceiptRecipientAsync(receiptId, "confirmed", Partner);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("consent.withdrawn", seen.GetProperty("eventType").GetString());
    }

    [Fact]
    public async Task P3_1_a_confirmation_unsigned_signed_by_another_partner_or_too_old_is_401_and_confirms_nothing()
    {
        var (client, requestId) = await RequestReachingThePartnerAsync();
        var body = Confirmation(requestId);

        var unsigned = await platform.Client().PostAsync(Path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var byAnother = await platform.PostSignedAsync(Path, body, Secret("alipay"));
        var replayedLate = await platform.PostSignedAsync(Path, body, Secret(Partner), at: DateTimeOffset.UtcNow.AddMinutes(-10));
        var byAUser = await client.PostAsync(Path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var recipient = (await client.GetFromJsonAsync<JsonElement>($"/v1/requests/{requestId}"))
            .GetProperty("recipients").EnumerateArray().Single(r => r.GetProperty("recipient").GetString() == Partner);
        var byThePartner = await platform.PostSignedAsync(Path, body, Secret(Partner));

        await unsigned.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await byAnother.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await replayedLate.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await byAUser.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(JsonValueKind.Null, recipient.GetProperty("confirmedAt").ValueKind);
        Assert.NotEqual("confirmed", recipient.GetProperty("status").GetString());
        // The same words, signed now by the partner itself, are taken.
        Assert.Equal(HttpStatusCode.OK, byThePartner.StatusCode);
    }

    [Fact]
    public async Task P3_1_a_partner_cannot_confirm_a_cause_it_was_never_told_of()
    {
        var (client, requestId) = await RequestReachingThePartnerAsync();

        // Alipay, signing honestly as itself, for a request only the other partner was told of.
        var byAlipay = await platform.PostSignedAsync("/v1/payment-partners/alipay/recipient-confirmations", Confirmation(requestId), Secret("alipay"));
        var unknownRequest = await platform.PostSignedAsync(Path, Confirmation(EntityId.New(EntityId.RequestPrefix)), Secret(Partner));
        var notACause = await platform.PostSignedAsync(Path, Confirmation(EntityId.New(EntityId.OrderPrefix)), Secret(Partner));
        var unknownPartner = await platform.PostSignedAsync("/v1/payment-partners/paypal/recipient-confirmations", Confirmation(requestId), Secret(Partner));
        var listed = (await client.GetFromJsonAsync<JsonElement>($"/v1/requests/{requestId}")).GetProperty("recipients").EnumerateArray().ToList();

        await byAlipay.AssertProblemAsync(HttpStatusCode.NotFound);
        await unknownRequest.AssertProblemAsync(HttpStatusCode.NotFound);
        await notACause.AssertProblemAsync(HttpStatusCode.NotFound);
        await unknownPartner.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain(listed, r => r.GetProperty("recipient").GetString() == "alipay");
        Assert.All(listed, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("confirmedAt").ValueKind));
    }

    // A user whose phone number went to the partner for a payment, and whose access request (completed) lists the partner.
    private async Task<(HttpClient Client, string RequestId)> RequestReachingThePartnerAsync()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await platform.Grains.GetGrain<IUserGrain>(user.UserId).Disclose(new DisclosureRequest(
            Partner, RecipientKind.PaymentPartner, ["phone"], "payment", null, LawfulBasis.ContractNecessity, "CN"));
        var requestId = (await client.FileRequestAsync(user.UserId, new { type = "access" })).RequestId();
        var done = await client.WaitUntilDoneAsync(requestId);
        Assert.Contains(done.GetProperty("recipients").EnumerateArray(), r => r.GetProperty("recipient").GetString() == Partner);
        return (client, requestId);
    }
}
