using System.Text.Json;
using MeiLing.Grains.DataRights;
using Orleans.TestingHost;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.DataRights;

[Collection(PlatformCollection.Name)]
public sealed class CancellationTests(PlatformFixture platform)
{
    [Fact]
    public async Task P4_1_cancellation_erases_or_anonymizes_everything_and_leaves_no_personal_data_in_any_table()
    {
        var (shop, delivery, orderId, nickname) = await ArrangeBusyCustomerAsync();
        var recipient = delivery.GetProperty("recipientName").GetString()!;
        var address = delivery.GetProperty("address").GetString()!;
        var access = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" });
        await shop.CustomerClient.WaitUntilDoneAsync(access.RequestId());

        var view = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "cancellation" });
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Cancel", "support")).ApiKey);
        var done = await support.WaitUntilDoneAsync(view.RequestId());

        Assert.Equal("completed", done.GetProperty("status").GetString());
        var receipt = done.GetProperty("receipt");
        Assert.True(receipt.GetProperty("verified").GetBoolean(), receipt.ToString());
        Assert.Equal(1, receipt.GetProperty("erased").GetProperty("anonymize-orders").GetInt32());
        Assert.Equal(1, receipt.GetProperty("erased").GetProperty("settle-member-cards").GetInt32());
        foreach (var needle in new[] { shop.Customer.Phone, nickname, recipient, address, delivery.GetProperty("phone").GetString()! })
        {
            Assert.Empty(await platform.Database.FindEverywhereAsync(needle));
        }
    }

    [Fact]
    public async Task P4_1_the_users_inbox_and_ticket_links_are_found_by_the_verification_and_erased_by_the_cancellation()
    {
        var (shop, _, _, _) = await ArrangeBusyCustomerAsync();
        var userId = shop.Customer.UserId;
        var erasure = ((InProcessSiloHandle)platform.Cluster.Primary!).SiloHost.Services.GetRequiredService<ErasureSteps>();
        await shop.CustomerClient.WaitUntilDoneAsync((await shop.CustomerClient.FileRequestAsync(userId, new { type = "access" })).RequestId());
        var before = await erasure.VerifyAsync(userId);

        var view = await shop.CustomerClient.FileRequestAsync(userId, new { type = "cancellation" });
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Inbox", "support")).ApiKey);
        await support.WaitUntilDoneAsync(view.RequestId());

        Assert.Contains("user_tickets", before);
        Assert.Contains("grain state: inbox", before);
        Assert.Empty(await erasure.VerifyAsync(userId));
    }

    [Fact]
    public async Task P4_1_after_cancellation_sessions_stop_the_profile_and_export_are_gone_and_the_phone_registers_again()
    {
        var (shop, _, orderId, _) = await ArrangeBusyCustomerAsync();
        var access = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" });
        await shop.CustomerClient.WaitUntilDoneAsync(access.RequestId());
        var support = platform.Client((await platform.EnrolStaffAsync("Agent After", "support")).ApiKey);

        var view = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "cancellation" });
        await support.WaitUntilDoneAsync(view.RequestId());

        await (await shop.CustomerClient.GetAsync($"/v1/users/{shop.Customer.UserId}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await support.GetAsync($"/v1/users/{shop.Customer.UserId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await support.GetAsync($"/v1/requests/{access.RequestId()}/export")).AssertProblemAsync(HttpStatusCode.Forbidden);
        var code = await platform.ObtainCodeAsync(shop.Customer.Phone, "register");
        var again = await platform.Client().PostAsJsonAsync("/v1/users", new { phone = shop.Customer.Phone, password = "a new password", nickname = "new", verificationCode = code });
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);

        var order = await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/orders/{orderId}");
        Assert.True(order.GetProperty("anonymized").GetBoolean());
        Assert.Equal(JsonValueKind.Null, order.GetProperty("delivery").ValueKind);
        Assert.Equal(JsonValueKind.Null, order.GetProperty("userId").ValueKind);
        Assert.Equal(2 * CommerceApiClient.TeaPrice + CommerceApiClient.CakePrice, order.GetProperty("totalFen").GetInt64());
        Assert.Equal(2, order.GetProperty("lines").GetArrayLength());

        var record = await support.GetFromJsonAsync<JsonElement>($"/v1/requests/{view.RequestId()}");
        Assert.Equal("completed", record.GetProperty("status").GetString());
    }

    [Fact]
    public async Task P4_1_each_step_of_a_cancellation_is_audited_once()
    {
        var (shop, _, _, _) = await ArrangeBusyCustomerAsync();
        var view = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "cancellation" });
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Steps", "support")).ApiKey);
        await support.WaitUntilDoneAsync(view.RequestId());

        var actions = await platform.Database.ScalarAsync<string>(
            "SELECT string_agg(action, ',' ORDER BY sequence) FROM audit_log WHERE subject_user_id = $1 AND action LIKE 'cancellation:%'",
            shop.Customer.UserId);

        Assert.Equal(
            "cancellation:received,cancellation:close-account,cancellation:text-follow-up-code,cancellation:notify-recipients,cancellation:anonymize-orders,cancellation:settle-member-cards," +
            "cancellation:erase-tickets,cancellation:erase-locations,cancellation:erase-disclosures," +
            "cancellation:pseudonymize-consent-receipts,cancellation:redact-requests,cancellation:delete-account,cancellation:erase-activity," +
            "cancellation:verify,cancellation:completed",
            actions);
    }

    [Fact]
    public async Task P4_1_activity_still_on_its_way_when_the_account_is_gone_is_dropped_not_written_beside_others_in_its_batch()
    {
        var (shop, _, _, _) = await ArrangeBusyCustomerAsync();
        var neighbour = await platform.RegisterUserAsync();
        var view = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "cancellation" });
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Late", "support")).ApiKey);
        await support.WaitUntilDoneAsync(view.RequestId());

        // One batch, as the API's flusher sends it: the gone user's entry beside a current user's.
        await platform.Grains.GetGrain<MeiLing.Grains.Activity.IActivityLogGrain>(0).Append(
        [
            new MeiLing.Grains.Activity.ActivityEntry(shop.Customer.UserId, DateTimeOffset.UtcNow, "127.0.0.1", "late", null, null, "/v1/late", null),
            new MeiLing.Grains.Activity.ActivityEntry(neighbour.UserId, DateTimeOffset.UtcNow, "127.0.0.1", "on time", null, null, "/v1/on-time", null),
        ]);

        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM user_activity WHERE user_id = $1", shop.Customer.UserId));
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM user_data_keys WHERE user_id = $1", shop.Customer.UserId));
        var kept = await platform.Grains.GetGrain<MeiLing.Grains.Activity.IActivityLogGrain>(0).GetUserActivity(neighbour.UserId, 100);
        Assert.Contains(kept, entry => entry.Path == "/v1/on-time");
    }

    private async Task<(Shop Shop, JsonElement Delivery, string OrderId, string Nickname)> ArrangeBusyCustomerAsync()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var shop = await platform.OpenShopAsync();
        var nickname = $"昵称{Guid.NewGuid():N}"[..12];
        await shop.CustomerClient.PatchAsJsonAsync($"/v1/users/{shop.Customer.UserId}", new { nickname });
        var delivery = JsonSerializer.SerializeToElement(new
        {
            recipientName = $"收件人{Guid.NewGuid():N}"[..12],
            gender = "female",
            phone = UserApiClient.NewPhone(),
            address = $"西安市碑林区{Guid.NewGuid():N}"[..20],
            doorNumber = "8-8-808",
        });
        var order = await shop.PlaceOrderAsync(delivery);
        await shop.TopUpAsync(1_000);
        await shop.CustomerClient.PayAsync(order.Id(), "wechat", 1_000);
        await shop.MerchantClient.GetAsync($"/v1/orders/{order.Id()}");
        await shop.CustomerClient.SetConsentAsync(shop.Customer.UserId, "location", true, version);
        await shop.CustomerClient.PostLocationAsync(shop.Customer.UserId);
        await shop.CustomerClient.PostAsJsonAsync($"/v1/users/{shop.Customer.UserId}/tickets", new { subject = "Help", message = $"I am {nickname}" });
        await shop.CustomerClient.GetAsync($"/v1/users/{shop.Customer.UserId}?q=tea");
        return (shop, delivery, order.Id(), nickname);
    }
}
