using System.Text.Json;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Staff;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;

namespace MeiLing.Tests.Retail;

[Collection(PlatformCollection.Name)]
public sealed class MerchantStaffTests(PlatformFixture platform)
{
    [Fact]
    public async Task The_merchant_key_and_a_manager_enrol_staff_and_a_cashier_cannot()
    {
        var till = await platform.OpenTillAsync();

        var byManager = await till.Manager.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/staff", new { name = "Zhao", role = "cashier" });
        var byCashier = await till.Cashier.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/staff", new { name = "Qian", role = "cashier" });

        Assert.Equal(HttpStatusCode.Created, byManager.StatusCode);
        await byCashier.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_merchant_enrols_at_most_10000_staff_members_then_409()
    {
        var till = await platform.OpenTillAsync("Chain");
        var merchant = platform.Grains.GetGrain<IMerchantGrain>(till.MerchantId);
        await merchant.EndActivationAsync();
        // 9,999 enrolled already, as a loop of enrolments would leave the count: through the API it would take minutes.
        await platform.ChangeStoredStateAsync<MerchantState>(merchant, "merchant", stored => stored.StaffEnrolled = IMerchantGrain.MaxStaff - 1);

        var last = await till.Manager.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/staff", new { name = "Last", role = "cashier" });
        var beyond = await till.Owner.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/staff", new { name = "One more", role = "cashier" });

        Assert.Equal(HttpStatusCode.Created, last.StatusCode);
        Assert.EndsWith("/too-many-staff", (await beyond.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
    }

    // P4.4 (*reviewer*): every enrolment rewrites the merchant's record with its list of staff; a loop of 10,000 in a few
    // seconds wrote ever larger rows, gigabytes in all, and left every later write of the merchant a third of a megabyte.
    [Fact]
    public async Task P4_4_a_merchant_enrols_at_most_200_staff_members_a_day_then_429()
    {
        var till = await platform.OpenTillAsync("Hiring Spree");
        var merchant = platform.Grains.GetGrain<IMerchantGrain>(till.MerchantId);
        await merchant.EndActivationAsync();
        // 199 enrolled today (the two of the till among them), as a loop would leave them.
        await platform.ChangeStoredStateAsync<MerchantState>(merchant, "merchant", stored =>
            stored.StaffEnrolments.Uses.AddRange(Enumerable.Repeat(DateTimeOffset.UtcNow, IMerchantGrain.MaxStaffEnrolmentsPerDay - 1 - stored.StaffEnrolments.Uses.Count)));

        var last = await till.Owner.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/staff", new { name = "Last Today", role = "cashier" });
        var beyond = await till.Manager.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/staff", new { name = "Tomorrow", role = "cashier" });

        Assert.Equal(HttpStatusCode.Created, last.StatusCode);
        Assert.EndsWith("/quota-exceeded", (await beyond.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.NotNull(beyond.Headers.RetryAfter);
    }

    // P4.4 (*reviewer*): a manager's key (a rogue or leaked one) offboarded every till and spent the day's enrolments: the
    // owner's key got 429 and could issue no new till keys for a day. The day's last enrolments are the merchant key's.
    [Fact]
    public async Task P4_4_a_managers_enrolments_leave_the_days_last_ones_to_the_merchant_key()
    {
        var till = await platform.OpenTillAsync("Rogue Manager");
        var merchant = platform.Grains.GetGrain<IMerchantGrain>(till.MerchantId);
        await merchant.EndActivationAsync();
        // As a manager's loop would leave the day: every enrolment a manager may make taken.
        await platform.ChangeStoredStateAsync<MerchantState>(merchant, "merchant", stored => stored.StaffEnrolments.Uses.AddRange(Enumerable.Repeat(
            DateTimeOffset.UtcNow,
            IMerchantGrain.MaxStaffEnrolmentsPerDay - IMerchantGrain.StaffEnrolmentsKeptForTheMerchantKey - stored.StaffEnrolments.Uses.Count)));

        var byTheManager = await till.Manager.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/staff", new { name = "Another Mole", role = "cashier" });
        var byTheOwner = await till.Owner.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/staff", new { name = "New Till", role = "cashier" });

        Assert.EndsWith("/quota-exceeded", (await byTheManager.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, byTheOwner.StatusCode);
    }

    [Fact]
    public async Task A_cashier_cannot_enrol_a_manager()
    {
        var till = await platform.OpenTillAsync();

        var response = await till.Cashier.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/staff", new { name = "Me Again", role = "manager" });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_manager_cannot_enrol_staff_for_another_merchant()
    {
        var shopA = await platform.OpenTillAsync("Shop A");
        var shopB = await platform.OpenTillAsync("Shop B");

        var response = await shopA.Manager.PostAsJsonAsync($"/v1/merchants/{shopB.MerchantId}/staff", new { name = "Mole", role = "manager" });

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_merchant_cannot_enrol_platform_staff_and_the_platform_route_takes_no_merchant_roles()
    {
        var till = await platform.OpenTillAsync();

        await (await till.Owner.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/staff", new { name = "X", role = "operator" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await till.Manager.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/staff", new { name = "X", role = "support" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await platform.Operator().PostAsJsonAsync("/v1/staff", new { name = "X", role = "cashier" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await till.Manager.PostAsJsonAsync("/v1/staff", new { name = "X", role = "operator" })).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_offboarded_cashiers_key_stops_working_at_once()
    {
        var till = await platform.OpenTillAsync();
        Assert.Equal(HttpStatusCode.OK, (await till.Cashier.GetAsync($"/v1/merchants/{till.MerchantId}/products")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await till.Manager.DeleteAsync($"/v1/merchants/{till.MerchantId}/staff/{till.CashierId}")).StatusCode);

        await (await till.Cashier.GetAsync($"/v1/merchants/{till.MerchantId}/products")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var record = await till.Owner.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/staff/{till.CashierId}");
        Assert.NotEqual(JsonValueKind.Null, record.GetProperty("offboardedAt").ValueKind);
    }

    // P1.6, P4.4 (*reviewer*): an offboarding whose write failed stayed in the staff grain's memory: the retry found the
    // cashier offboarded, wrote nothing and answered 204, and once the grain left memory the record showed them current.
    // The key is revoked before the record is written, so it is dead from the first try whatever the write does.
    [Fact]
    public async Task P1_6_an_offboarding_whose_write_failed_is_stored_by_its_retry_and_holds_after_the_record_leaves_memory()
    {
        var till = await platform.OpenTillAsync("Retried Offboarding Shop");
        var staff = $"/v1/merchants/{till.MerchantId}/staff/{till.CashierId}";

        var failed = await platform.Database.WhileStateWritesRefusedAsync(till.CashierId, () => till.Manager.DeleteAsync(staff));
        var keyAfterFailure = await till.Cashier.GetAsync($"/v1/merchants/{till.MerchantId}/products");
        var afterFailure = await till.Owner.GetFromJsonAsync<JsonElement>(staff);
        var retried = await till.Manager.DeleteAsync(staff);
        await platform.Grains.GetGrain<IStaffGrain>(till.CashierId).EndActivationAsync();
        var reloaded = await till.Owner.GetFromJsonAsync<JsonElement>(staff);

        await failed.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        await keyAfterFailure.AssertProblemAsync(HttpStatusCode.Unauthorized);
        // The failed change is not shown as made: the record is what storage holds until the retry writes it.
        Assert.Equal(JsonValueKind.Null, afterFailure.GetProperty("offboardedAt").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, retried.StatusCode);
        Assert.Equal(JsonValueKind.String, reloaded.GetProperty("offboardedAt").ValueKind);
        Assert.Equal(till.ManagerId, reloaded.GetProperty("offboardedBy").GetString());
    }

    [Fact]
    public async Task A_merchant_cannot_offboard_or_read_another_merchants_staff_or_the_platforms()
    {
        var shopA = await platform.OpenTillAsync("Shop A");
        var shopB = await platform.OpenTillAsync("Shop B");
        var agent = await platform.EnrolStaffAsync("Agent", "support");

        await (await shopA.Owner.DeleteAsync($"/v1/merchants/{shopA.MerchantId}/staff/{shopB.CashierId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await shopA.Owner.DeleteAsync($"/v1/merchants/{shopB.MerchantId}/staff/{shopB.CashierId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await shopA.Owner.DeleteAsync($"/v1/merchants/{shopA.MerchantId}/staff/{agent.StaffId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await shopA.Owner.GetAsync($"/v1/merchants/{shopA.MerchantId}/staff/{shopB.ManagerId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await shopB.Cashier.GetAsync($"/v1/merchants/{shopB.MerchantId}/products")).StatusCode);
    }

    [Fact]
    public async Task A_manager_cannot_replace_the_merchants_own_key_nor_a_cashier_its_webhook()
    {
        var till = await platform.OpenTillAsync();

        await (await till.Manager.PostAsync($"/v1/merchants/{till.MerchantId}/api-key", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await till.Cashier.PostAsync($"/v1/merchants/{till.MerchantId}/api-key", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await till.Cashier.GetAsync($"/v1/merchants/{till.MerchantId}/webhook-deliveries")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await till.Owner.GetAsync($"/v1/merchants/{till.MerchantId}")).StatusCode);
    }

    [Fact]
    public async Task P3_1_P4_4_a_manager_can_neither_point_the_merchants_webhook_elsewhere_nor_rotate_or_remove_it_and_still_reads_it()
    {
        var till = await platform.OpenTillAsync("Webhook Owner");
        var owners = new { url = "https://shop.example.com/hooks" };
        Assert.Equal(HttpStatusCode.OK, (await till.Owner.PutAsJsonAsync($"/v1/merchants/{till.MerchantId}/webhook", owners)).StatusCode);

        // The rights notices name the merchant's customers: a manager would send them to a server of their own.
        await (await till.Manager.PutAsJsonAsync($"/v1/merchants/{till.MerchantId}/webhook", new { url = "https://manager.example.net/hooks" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await till.Manager.PostAsync($"/v1/merchants/{till.MerchantId}/webhook/secret", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await till.Manager.DeleteAsync($"/v1/merchants/{till.MerchantId}/webhook")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await till.Cashier.PutAsJsonAsync($"/v1/merchants/{till.MerchantId}/webhook", new { url = "https://cashier.example.net/hooks" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);

        var seen = await till.Manager.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/webhook");
        Assert.Equal(owners.url, seen.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, (await till.Manager.GetAsync($"/v1/merchants/{till.MerchantId}/webhook-deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await till.Owner.PostAsync($"/v1/merchants/{till.MerchantId}/webhook/secret", null)).StatusCode);
    }

    // P1.7, P4.4 (*reviewer*): a manager's offboarding of a colleague named nobody, though enrolments and limits name the
    // manager who made them: the merchant could not tell which manager removed whom.
    [Fact]
    public async Task P1_7_P4_4_the_merchant_reads_which_manager_offboarded_a_staff_member()
    {
        var till = await platform.OpenTillAsync("Who Removed Whom");
        var other = await till.Owner.EnrolAsync(till.MerchantId, "Sun", "cashier");

        Assert.Equal(HttpStatusCode.NoContent, (await till.Manager.DeleteAsync($"/v1/merchants/{till.MerchantId}/staff/{till.CashierId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await till.Owner.DeleteAsync($"/v1/merchants/{till.MerchantId}/staff/{other.StaffId}")).StatusCode);
        var byManager = await till.Owner.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/staff/{till.CashierId}");
        var byOwner = await till.Owner.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/staff/{other.StaffId}");

        Assert.Equal(till.ManagerId, byManager.GetProperty("offboardedBy").GetString());
        Assert.Equal(JsonValueKind.Null, byOwner.GetProperty("offboardedBy").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, byOwner.GetProperty("offboardedAt").ValueKind);
    }

    [Fact]
    public async Task P4_4_the_merchant_key_finds_and_offboards_a_manager_key_that_a_departing_manager_minted_for_themselves()
    {
        var till = await platform.OpenTillAsync("Shadow Keys");
        // The manager mints a second manager key and tells no one; then the merchant offboards the manager it knows of.
        var shadow = await till.Manager.EnrolAsync(till.MerchantId, "Backup", "manager");
        Assert.Equal(HttpStatusCode.NoContent, (await till.Owner.DeleteAsync($"/v1/merchants/{till.MerchantId}/staff/{till.ManagerId}")).StatusCode);
        var shadowKey = platform.Client(shadow.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await shadowKey.GetAsync($"/v1/merchants/{till.MerchantId}/webhook-deliveries")).StatusCode);

        var listed = await till.Owner.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/staff");

        var items = listed.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([till.ManagerId, till.CashierId, shadow.StaffId], items.Select(item => item.GetProperty("staffId").GetString()));
        Assert.NotEqual(JsonValueKind.Null, items[0].GetProperty("offboardedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("enrolledBy").ValueKind);
        Assert.Equal(till.ManagerId, items[2].GetProperty("enrolledBy").GetString());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("nextCursor").ValueKind);
        Assert.Equal(0, listed.GetProperty("unlisted").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await till.Owner.DeleteAsync($"/v1/merchants/{till.MerchantId}/staff/{shadow.StaffId}")).StatusCode);
        await (await shadowKey.GetAsync($"/v1/merchants/{till.MerchantId}/webhook-deliveries")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task P4_4_a_cashier_reads_no_staff_list_nor_a_merchant_another_merchants_and_a_manager_reads_its_own()
    {
        var shopA = await platform.OpenTillAsync("Shop A");
        var shopB = await platform.OpenTillAsync("Shop B");

        await (await shopA.Cashier.GetAsync($"/v1/merchants/{shopA.MerchantId}/staff")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await shopA.Owner.GetAsync($"/v1/merchants/{shopB.MerchantId}/staff")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await shopA.Manager.GetAsync($"/v1/merchants/{shopB.MerchantId}/staff")).AssertProblemAsync(HttpStatusCode.NotFound);
        var own = await shopA.Manager.GetFromJsonAsync<JsonElement>($"/v1/merchants/{shopA.MerchantId}/staff");
        Assert.Equal([shopA.ManagerId, shopA.CashierId], own.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("staffId").GetString()));
    }

    [Fact]
    public async Task P4_4_the_staff_list_pages_on_and_counts_the_staff_enrolled_before_it_was_kept()
    {
        var till = await platform.OpenTillAsync("Old Chain");
        var third = await till.Owner.EnrolAsync(till.MerchantId, "Zhou", "cashier");
        var merchant = platform.Grains.GetGrain<IMerchantGrain>(till.MerchantId);
        await merchant.EndActivationAsync();
        // Two more enrolled before merchants kept their list: counted, with no id to show.
        await platform.ChangeStoredStateAsync<MerchantState>(merchant, "merchant", stored => stored.StaffEnrolled += 2);

        var first = await till.Owner.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/staff?limit=2");
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await till.Owner.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/staff?limit=2&cursor={cursor}");

        Assert.Equal([till.ManagerId, till.CashierId], first.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("staffId").GetString()));
        Assert.Equal([third.StaffId], second.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("staffId").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        Assert.Equal(2, second.GetProperty("unlisted").GetInt32());
        await (await till.Owner.GetAsync($"/v1/merchants/{till.MerchantId}/staff?cursor=x")).AssertProblemAsync(HttpStatusCode.BadRequest);
        // A position past int's end less a page wrapped the next cursor negative, on a page with nothing in it.
        await (await till.Owner.GetAsync($"/v1/merchants/{till.MerchantId}/staff?cursor=2147483647&limit=100")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await till.Owner.GetAsync($"/v1/merchants/{till.MerchantId}/staff?limit=101")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task P4_4_a_key_enrolled_before_the_merchant_kept_its_staff_list_is_named_on_it_at_its_first_use_and_can_be_offboarded()
    {
        var till = await platform.OpenTillAsync("Old Chain");
        var shadow = await till.Manager.EnrolAsync(till.MerchantId, "Shadow", "manager");
        var merchant = platform.Grains.GetGrain<IMerchantGrain>(till.MerchantId);
        await merchant.EndActivationAsync();
        // As if enrolled before merchants kept their list: counted, never named.
        await platform.ChangeStoredStateAsync<MerchantState>(merchant, "merchant", stored => stored.StaffIds.Remove(shadow.StaffId));
        var before = await till.Owner.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/staff");
        Assert.DoesNotContain(shadow.StaffId, before.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("staffId").GetString()));
        Assert.Equal(1, before.GetProperty("unlisted").GetInt32());

        // The key is used: from then on the merchant key finds it, and offboards it.
        var shadowKey = platform.Client(shadow.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await shadowKey.GetAsync($"/v1/merchants/{till.MerchantId}/webhook-deliveries")).StatusCode);
        var after = await till.Owner.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/staff");
        Assert.Equal([till.ManagerId, till.CashierId, shadow.StaffId],
            after.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("staffId").GetString()));
        Assert.Equal(0, after.GetProperty("unlisted").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await till.Owner.DeleteAsync($"/v1/merchants/{till.MerchantId}/staff/{shadow.StaffId}")).StatusCode);
        await (await shadowKey.GetAsync($"/v1/merchants/{till.MerchantId}/webhook-deliveries")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_cashier_takes_payments_and_the_order_records_who_sold()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "BUN", 250, stock: null);

        var order = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("BUN", 4));
        await till.Cashier.PaidAsync(order.GetProperty("orderId").GetString()!, "marked", 1_000);

        var read = await till.Manager.GetFromJsonAsync<JsonElement>($"/v1/orders/{order.GetProperty("orderId").GetString()}");
        Assert.Equal(till.CashierId, read.GetProperty("staffId").GetString());
        Assert.Equal("paid", read.GetProperty("status").GetString());
    }
}
