using System.Reflection;
using System.Text.Json;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.MemberCards;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Tickets;
using MeiLing.Grains.Users;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.DataRights;

[Collection(PlatformCollection.Name)]
public sealed class RightsTests(PlatformFixture platform)
{
    [Fact]
    public async Task Access_gives_one_bundle_with_every_section_the_contract_names()
    {
        var shop = await platform.OpenShopAsync();
        await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery());
        await shop.TopUpAsync(500);
        var view = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" });
        Assert.Equal("completed", (await shop.CustomerClient.WaitUntilDoneAsync(view.RequestId())).GetProperty("status").GetString());

        var bundle = await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/requests/{view.RequestId()}/export");

        foreach (var section in new[] { "profile", "notifications", "consents", "orders", "memberCards", "locations", "activity", "tickets", "disclosures", "requests" })
        {
            Assert.True(bundle.TryGetProperty(section, out _), $"missing section {section}");
        }

        Assert.True(bundle.GetProperty("consents").TryGetProperty("history", out _));
        var order = bundle.GetProperty("orders")[0];
        Assert.Equal("李雷", order.GetProperty("delivery").GetProperty("recipientName").GetString());
        Assert.Equal(500, bundle.GetProperty("memberCards")[0].GetProperty("balanceFen").GetInt64());
        Assert.Equal(shop.Customer.Phone, bundle.GetProperty("profile").GetProperty("phone").GetString());
        // P8.1 (*reviewer*): the profile as the user reads it, not only its tagged fields: when they registered, their
        // region, the policy they accepted and their standing were left out.
        var profile = await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/users/{shop.Customer.UserId}");
        foreach (var field in new[] { "registeredAt", "region", "acceptedPolicyVersion", "status" })
        {
            Assert.Equal(profile.GetProperty(field).ToString(), bundle.GetProperty("profile").GetProperty(field).ToString());
        }
    }

    [Fact]
    public async Task A_1_the_access_bundle_holds_every_tagged_field_of_every_state_that_holds_personal_data()
    {
        // Arrange: one record of every kind of state that holds a user's personal data.
        var shop = await platform.OpenShopAsync();
        var order = await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery(), teas: 1, cakes: 0);
        await shop.TopUpAsync(CommerceApiClient.TeaPrice);
        await shop.CustomerClient.PayAsync(order.Id(), "member-card", CommerceApiClient.TeaPrice);
        await shop.CustomerClient.PostAsJsonAsync($"/v1/users/{shop.Customer.UserId}/tickets", new { subject = "Late", message = "Where is my tea?" });
        var correction = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "correction", details = new { nickname = "新名字" } });
        await shop.CustomerClient.WaitUntilDoneAsync(correction.RequestId());
        var access = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" });
        await shop.CustomerClient.WaitUntilDoneAsync(access.RequestId());

        var bundle = await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/requests/{access.RequestId()}/export");

        var statesWithPersonalData = typeof(UserState).Assembly.GetTypes()
            .Where(type => type.GetCustomAttribute<HoldsPersonalDataAttribute>() is not null);
        foreach (var stateType in statesWithPersonalData)
        {
            Assert.True(SectionOf.TryGetValue(stateType, out var section), $"{stateType.Name} holds personal data that no section of the bundle exports");
            var records = bundle.GetProperty(section) is { ValueKind: JsonValueKind.Array } list ? [.. list.EnumerateArray()] : new[] { bundle.GetProperty(section) };
            Assert.NotEmpty(records);
            foreach (var record in records)
            {
                foreach (var field in PersonalDataExporter.ExportedFields(stateType))
                {
                    Assert.True(record.TryGetProperty(field, out _), $"{section}: tagged field {field} of {stateType.Name} is not exported");
                    Assert.True(record.GetProperty("dataCategories").TryGetProperty(field, out _), $"{section}: tagged field {field} has no category");
                }
            }
        }

        Assert.False(bundle.GetProperty("profile").TryGetProperty("passwordHash", out _));
    }

    private static readonly Dictionary<Type, string> SectionOf = new()
    {
        [typeof(UserState)] = "profile",
        [typeof(UserInboxState)] = "notifications",
        [typeof(OrderState)] = "orders",
        [typeof(MemberCardState)] = "memberCards",
        [typeof(TicketState)] = "tickets",
        [typeof(DataRightsRequestState)] = "requests",
    };

    [Fact]
    public async Task Access_export_is_also_a_readable_page()
    {
        var (client, requestId) = await platform.AnsweredAccessRequestAsync();

        var response = await client.GetAsync($"/v1/requests/{requestId}/export?format=html");

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("default-src 'none'; style-src 'unsafe-inline';", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h2>orders</h2>", page, StringComparison.Ordinal);
        Assert.Contains("小美", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_export_in_a_format_there_is_none_of_is_400_not_json()
    {
        var (client, requestId) = await platform.AnsweredAccessRequestAsync();

        var response = await client.GetAsync($"/v1/requests/{requestId}/export?format=xml");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("format", out _));
    }

    [Fact]
    public async Task The_export_of_an_unfinished_request_is_409()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var view = await client.FileRequestAsync(user.UserId, new { type = "access" });

        var response = await client.GetAsync($"/v1/requests/{view.RequestId()}/export");

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Correction_changes_the_profile_and_the_delivery_of_unfulfilled_orders_only()
    {
        var shop = await platform.OpenShopAsync();
        var open = await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery(), teas: 1, cakes: 0);
        var done = await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery(), teas: 1, cakes: 0);
        await shop.MerchantClient.PayAsync(done.Id(), "marked", CommerceApiClient.TeaPrice);
        await shop.MerchantClient.SetStatusAsync(done.Id(), "fulfilled");

        var view = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new
        {
            type = "correction",
            details = new { nickname = "改过的名字", delivery = new { address = "陕西省西安市新城区东五路 1 号", orderIds = new[] { open.Id(), done.Id() } } },
        });
        await shop.CustomerClient.WaitUntilDoneAsync(view.RequestId());

        var profile = await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/users/{shop.Customer.UserId}");
        var corrected = await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/orders/{open.Id()}");
        var fulfilled = await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/orders/{done.Id()}");
        Assert.Equal("改过的名字", profile.GetProperty("nickname").GetString());
        Assert.Equal("陕西省西安市新城区东五路 1 号", corrected.GetProperty("delivery").GetProperty("address").GetString());
        Assert.Equal("陕西省西安市雁塔区科技路 88 号", fulfilled.GetProperty("delivery").GetProperty("address").GetString());
    }

    // P4.1 (*reviewer*): a deletion of addresses erased them from the orders past delivery, but the correction that had set
    // the address kept it in its details, and every later export showed it back.
    [Fact]
    public async Task P4_1_a_deletion_of_addresses_or_avatar_also_drops_them_from_the_users_past_corrections()
    {
        var shop = await platform.OpenShopAsync();
        var order = await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery(), teas: 1, cakes: 0);
        const string CorrectedAddress = "浙江省杭州市西湖区改过的路 7 号";
        const string CorrectedAvatar = "https://img.example/corrected-avatar.png";
        var correction = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new
        {
            type = "correction",
            details = new { avatarUrl = CorrectedAvatar, delivery = new { address = CorrectedAddress, recipientName = "韩梅梅", orderIds = new[] { order.Id() } } },
        });
        await shop.CustomerClient.WaitUntilDoneAsync(correction.RequestId());
        await shop.MerchantClient.PayAsync(order.Id(), "marked", CommerceApiClient.TeaPrice);
        await shop.MerchantClient.SetStatusAsync(order.Id(), "fulfilled");

        var deletion = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "deletion", details = new { categories = new[] { "addresses", "avatar" } } });
        await shop.CustomerClient.WaitUntilDoneAsync(deletion.RequestId());
        var access = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" });
        await shop.CustomerClient.WaitUntilDoneAsync(access.RequestId());
        var export = Strings(await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/requests/{access.RequestId()}/export")).ToList();

        Assert.DoesNotContain(export, text => text.Contains(CorrectedAddress, StringComparison.Ordinal));
        Assert.DoesNotContain(export, text => text.Contains(CorrectedAvatar, StringComparison.Ordinal));
        // What the deletion did not name stays the user's record of what they corrected.
        Assert.Contains("韩梅梅", export);
    }

    // P4.1 (*reviewer*): a deletion dropped the birth date from a past correction's details, but support's notes on it (how
    // the caller was verified, why a second agent approved) quoted it, and every later export showed it back.
    [Fact]
    public async Task P4_1_a_deletion_also_erases_supports_free_text_notes_on_the_users_past_requests()
    {
        const string BirthDate = "1990-01-01";
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var support = platform.Client((await Api.PlatformApiExtensions.EnrolStaffAsync(platform, "Agent Notes", "support")).ApiKey);
        var second = platform.Client((await Api.PlatformApiExtensions.EnrolStaffAsync(platform, "Agent Notes Second", "support")).ApiKey);
        var correction = await support.FileRequestAsync(user.UserId, new
        {
            type = "correction",
            details = new { nickname = "笔记里的名字", birthDate = BirthDate },
            reason = $"caller says the birth date on file is wrong, should be {BirthDate}",
            verification = $"confirmed DOB {BirthDate}, lives at 北京市朝阳区建国路 1 号",
        });
        var approved = await second.PostAsJsonAsync($"/v1/requests/{correction.RequestId()}/approval", new { reason = $"DOB {BirthDate} re-checked by callback" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("completed", (await support.WaitUntilDoneAsync(correction.RequestId())).GetProperty("status").GetString());

        var deletion = await client.FileRequestAsync(user.UserId, new { type = "deletion", details = new { categories = new[] { "birth-date" } } });
        Assert.Equal("completed", (await client.WaitUntilDoneAsync(deletion.RequestId())).GetProperty("status").GetString());
        var access = await client.FileRequestAsync(user.UserId, new { type = "access" });
        await client.WaitUntilDoneAsync(access.RequestId());
        var bundle = await client.GetFromJsonAsync<JsonElement>($"/v1/requests/{access.RequestId()}/export");

        var past = bundle.GetProperty("requests").EnumerateArray().Single(request => request.GetProperty("requestId").GetString() == correction.RequestId());
        Assert.DoesNotContain(Strings(bundle.GetProperty("requests")), text => text.Contains(BirthDate, StringComparison.Ordinal));
        Assert.DoesNotContain(Strings(bundle), text => text.Contains(BirthDate, StringComparison.Ordinal));
        Assert.DoesNotContain(Strings(bundle), text => text.Contains("北京市朝阳区", StringComparison.Ordinal));
        foreach (var note in new[] { "reason", "verification", "approvalReason" })
        {
            Assert.Equal("[redacted]", past.GetProperty(note).GetString());
        }

        // The request stays listed as what it was, and what the deletion did not name stays the user's record of it.
        Assert.Equal("correction", past.GetProperty("type").GetString());
        Assert.Equal("completed", past.GetProperty("status").GetString());
        Assert.Contains("笔记里的名字", Strings(past));
    }

    // P4.1, P8.1 (*reviewer*): a deletion whose write of the user's state failed had cleared the addresses in memory only. The
    // request stepped aside and its retry found nothing left to erase and wrote nothing; its close, whose write still failed,
    // took the request's entry off in memory only, so the close retried once storage was back wrote nothing either. The
    // request completed while storage still held the addresses, which came back with the user's next activation.
    [Fact]
    public async Task P4_1_a_deletion_of_addresses_whose_write_failed_erases_them_when_retried()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "third-party-sources", true, version);
        var import = new
        {
            source = "partner-address-book",
            authorization = "oauth grant 2026-11-24 scope=addresses",
            addresses = new[] { new { recipientName = "韩梅梅", phone = UserApiClient.NewPhone(), address = "北京市海淀区", doorNumber = "5-101" } },
        };
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync($"/v1/users/{user.UserId}/addresses/imports", import)).StatusCode);
        var deletion = await client.FileRequestAsync(user.UserId, new { type = "deletion", details = new { categories = new[] { "addresses" } } });
        var request = platform.Grains.GetGrain<IDataRightsRequestGrain>(deletion.RequestId());

        // Only the user grain's own state is refused (its inbox, keyed alike, still takes the request's notices).
        var whileRefused = await platform.Database.WhileRefusingAsync(
            "orleans_storage", $"NEW.grain_id_string = '{user.UserId}' AND NEW.grain_type = 'user'",
            async () =>
            {
                var first = await request.Drive();
                await request.Drive();
                return first;
            });
        var done = await request.Drive();
        await platform.Grains.GetGrain<IUserGrain>(user.UserId).EndActivationAsync();
        var addresses = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/addresses");

        Assert.NotEqual(DataRightsRequestStatus.Completed, whileRefused.Status);
        Assert.Empty(addresses.GetProperty("items").EnumerateArray());
        Assert.Equal(DataRightsRequestStatus.Completed, done.Status);
    }

    // P4.1 (*reviewer*): a past correction whose write failed had forgotten the deleted address in memory only. The deletion
    // stepped aside, its retry found nothing left to forget in the still-active correction and completed; once the
    // correction reactivated, the stored address came back in every export.
    [Fact]
    public async Task P4_1_a_deletion_whose_write_to_a_past_correction_failed_erases_the_address_there_when_retried()
    {
        var shop = await platform.OpenShopAsync();
        var order = await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery(), teas: 1, cakes: 0);
        const string CorrectedAddress = "江苏省南京市鼓楼区写失败的路 9 号";
        var correction = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new
        {
            type = "correction",
            details = new { delivery = new { address = CorrectedAddress, orderIds = new[] { order.Id() } } },
        });
        await shop.CustomerClient.WaitUntilDoneAsync(correction.RequestId());
        await shop.MerchantClient.PayAsync(order.Id(), "marked", CommerceApiClient.TeaPrice);
        await shop.MerchantClient.SetStatusAsync(order.Id(), "fulfilled");
        var deletion = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "deletion", details = new { categories = new[] { "addresses" } } });
        var request = platform.Grains.GetGrain<IDataRightsRequestGrain>(deletion.RequestId());

        var whileRefused = await platform.Database.WhileStateWritesRefusedAsync(correction.RequestId(), () => request.Drive());
        var done = await request.Drive();
        await platform.Grains.GetGrain<IDataRightsRequestGrain>(correction.RequestId()).EndActivationAsync();
        var access = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" });
        await shop.CustomerClient.WaitUntilDoneAsync(access.RequestId());
        var export = Strings(await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/requests/{access.RequestId()}/export")).ToList();

        Assert.NotEqual(DataRightsRequestStatus.Completed, whileRefused.Status);
        Assert.Equal(DataRightsRequestStatus.Completed, done.Status);
        Assert.DoesNotContain(export, text => text.Contains(CorrectedAddress, StringComparison.Ordinal));
    }

    // P4.1: a deletion erased the notes on the user's past corrections only: an agent's verification of an earlier withdrawal,
    // and the reason a second agent approved it, quoted the birth date the user then deleted, and every export showed it back.
    [Fact]
    public async Task P4_1_a_deletion_erases_the_notes_on_past_requests_of_every_type_not_only_corrections()
    {
        const string BirthDate = "1991-02-03";
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var support = platform.Client((await Api.PlatformApiExtensions.EnrolStaffAsync(platform, "Agent Withdrawal Notes", "support")).ApiKey);
        var second = platform.Client((await Api.PlatformApiExtensions.EnrolStaffAsync(platform, "Agent Withdrawal Notes Second", "support")).ApiKey);
        var withdrawal = await support.FileRequestAsync(user.UserId, new
        {
            type = "withdrawal",
            details = new { purposes = new[] { "marketing-sharing" } },
            reason = "caller wants nothing shared for offers",
            verification = $"confirmed DOB {BirthDate}",
        });
        var approved = await second.PostAsJsonAsync($"/v1/requests/{withdrawal.RequestId()}/approval", new { reason = $"DOB {BirthDate} re-checked by callback" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("completed", (await support.WaitUntilDoneAsync(withdrawal.RequestId())).GetProperty("status").GetString());

        var deletion = await client.FileRequestAsync(user.UserId, new { type = "deletion", details = new { categories = new[] { "avatar", "birth-date" } } });
        Assert.Equal("completed", (await client.WaitUntilDoneAsync(deletion.RequestId())).GetProperty("status").GetString());
        var access = await client.FileRequestAsync(user.UserId, new { type = "access" });
        await client.WaitUntilDoneAsync(access.RequestId());
        var bundle = await client.GetFromJsonAsync<JsonElement>($"/v1/requests/{access.RequestId()}/export");

        var past = bundle.GetProperty("requests").EnumerateArray().Single(request => request.GetProperty("requestId").GetString() == withdrawal.RequestId());
        Assert.DoesNotContain(Strings(bundle), text => text.Contains(BirthDate, StringComparison.Ordinal));
        foreach (var note in new[] { "reason", "verification", "approvalReason" })
        {
            Assert.Equal("[redacted]", past.GetProperty(note).GetString());
        }

        Assert.Equal("withdrawal", past.GetProperty("type").GetString());
        Assert.Equal("completed", past.GetProperty("status").GetString());
    }

    // P4.1 (*reviewer*): a support filing still awaiting the user's confirmation was skipped by a deletion; its verification
    // quoted the birth date the user then deleted, and once it expired nothing looked at it again.
    [Fact]
    public async Task P4_1_a_deletion_erases_the_notes_on_a_filing_still_awaiting_the_users_confirmation()
    {
        const string BirthDate = "1992-03-04";
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var support = platform.Client((await Api.PlatformApiExtensions.EnrolStaffAsync(platform, "Agent Pending Notes", "support")).ApiKey);
        var pending = await support.FileRequestAsync(user.UserId, new
        {
            type = "withdrawal",
            details = new { purposes = new[] { "marketing-sharing" } },
            reason = "caller wants nothing shared for offers",
            verification = $"confirmed DOB {BirthDate}",
        });

        var deletion = await client.FileRequestAsync(user.UserId, new { type = "deletion", details = new { categories = new[] { "birth-date" } } });
        Assert.Equal("completed", (await client.WaitUntilDoneAsync(deletion.RequestId())).GetProperty("status").GetString());
        var access = await client.FileRequestAsync(user.UserId, new { type = "access" });
        await client.WaitUntilDoneAsync(access.RequestId());
        var bundle = await client.GetFromJsonAsync<JsonElement>($"/v1/requests/{access.RequestId()}/export");

        var stillPending = bundle.GetProperty("requests").EnumerateArray().Single(request => request.GetProperty("requestId").GetString() == pending.RequestId());
        Assert.DoesNotContain(Strings(bundle), text => text.Contains(BirthDate, StringComparison.Ordinal));
        Assert.Equal("[redacted]", stillPending.GetProperty("verification").GetString());
        Assert.Equal("awaiting-confirmation", stillPending.GetProperty("status").GetString());
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(property => Strings(property.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    [Fact]
    public async Task Deletion_erases_the_named_categories_and_keeps_the_account()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync(new { avatarUrl = "https://img.example/me.png" });
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "location", true, version);
        await client.PostLocationAsync(user.UserId);

        var view = await client.FileRequestAsync(user.UserId, new { type = "deletion", details = new { categories = new[] { "locations", "avatar" } } });
        var done = await client.WaitUntilDoneAsync(view.RequestId());

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM user_location_samples WHERE user_id = $1", user.UserId));
        var again = await platform.AsUserAsync(user);
        var profile = await again.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}");
        Assert.Equal(JsonValueKind.Null, profile.GetProperty("avatarUrl").ValueKind);
    }

    [Fact]
    public async Task Withdrawal_stops_the_named_flows_at_once()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "location", true, version);

        var view = await client.FileRequestAsync(user.UserId, new { type = "withdrawal", details = new { purposes = new[] { "location" } } });
        await client.WaitUntilDoneAsync(view.RequestId());

        await (await client.PostLocationAsync(user.UserId)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Support_lists_open_requests_by_due_date()
    {
        var user = await platform.RegisterUserAsync();
        var view = await (await platform.AsUserAsync(user)).FileRequestAsync(user.UserId, new { type = "access" });
        var support = platform.Client((await Api.PlatformApiExtensions.EnrolStaffAsync(platform, "Agent List", "support")).ApiKey);

        var open = await support.GetFromJsonAsync<JsonElement>("/v1/requests?status=open");
        var overdue = await support.GetFromJsonAsync<JsonElement>("/v1/requests?status=open&overdue=true");

        Assert.Contains(open.GetProperty("items").EnumerateArray(), r => r.GetProperty("requestId").GetString() == view.RequestId());
        Assert.DoesNotContain(overdue.GetProperty("items").EnumerateArray(), r => r.GetProperty("requestId").GetString() == view.RequestId());
    }
}
