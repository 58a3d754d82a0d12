using System.Text.Json;
using MeiLing.Grains.Staff;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.Retail;

namespace MeiLing.Tests.Api;

[Collection(PlatformCollection.Name)]
public sealed class StaffApiTests(PlatformFixture platform)
{
    [Fact]
    public async Task An_operator_enrols_support_staff_with_a_key()
    {
        var staff = await platform.EnrolStaffAsync("Zhang Wei", "support");

        Assert.StartsWith("stf_", staff.StaffId, StringComparison.Ordinal);
        Assert.Equal("support", staff.Role);
        Assert.StartsWith("sk_", staff.ApiKey, StringComparison.Ordinal);
    }

    // P1.7: a support key reads and acts on any user's data, yet minting one (or ending it) left nothing in the audit log:
    // two agents' keys, one filing and the other approving, were linked to the operator who minted both only by the staff
    // record, which the audit chain does not cover.
    [Fact]
    public async Task P1_7_an_operators_enrolment_and_offboarding_of_a_support_agent_are_on_the_audit_log_with_who()
    {
        var minter = await platform.EnrolStaffAsync("Minting Operator", "operator");
        var operatorClient = platform.Client(minter.ApiKey);

        var enrolled = await operatorClient.PostAsJsonAsync("/v1/staff", new { name = "Minted Agent", role = "support" });
        var agentId = (await enrolled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("staffId").GetString()!;
        var offboarded = await operatorClient.DeleteAsync($"/v1/staff/{agentId}");
        var unknown = await operatorClient.DeleteAsync($"/v1/staff/{Grains.Platform.EntityId.New(Grains.Platform.EntityId.StaffPrefix)}");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.NoContent), (enrolled.StatusCode, offboarded.StatusCode));
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
        // *reviewer*: the record names the operator; unnamed, a merchant read an operator's offboarding of its staff as its own.
        Assert.Equal(minter.StaffId, (await operatorClient.GetFromJsonAsync<JsonElement>($"/v1/staff/{agentId}")).GetProperty("offboardedBy").GetString());
        var entries = await platform.Database.ScalarAsync<string>(
            "SELECT string_agg(action || ' by ' || actor_id || ' ' || coalesce(detail::jsonb ->> 'role', '-'), ', ' ORDER BY sequence) FROM audit_log WHERE action LIKE 'staff:%' AND detail::jsonb ->> 'staffId' = $1",
            agentId);
        Assert.Equal($"staff:enrolment-requested by {minter.StaffId} support, staff:offboarding-requested by {minter.StaffId} -", entries);
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'staff:offboarding-requested' AND actor_id = $1 AND detail::jsonb ->> 'staffId' <> $2", minter.StaffId, agentId));
    }

    // An operator opened merchants (minting their keys), renamed or archived their products and sent their deliveries again
    // (to whatever endpoint stood) with no trace; a merchant's own acts are its own business and write nothing here.
    [Fact]
    public async Task P1_7_an_operators_opening_of_a_merchant_adds_and_edits_of_its_catalogue_and_retry_of_a_delivery_are_on_the_audit_log_with_who()
    {
        var acting = await platform.EnrolStaffAsync("Acting Operator", "operator");
        var operatorClient = platform.Client(acting.ApiKey);
        var opened = await (await operatorClient.PostAsJsonAsync("/v1/merchants", new { name = "Opened By An Operator" })).Content.ReadFromJsonAsync<JsonElement>();
        var merchantId = opened.GetProperty("merchantId").GetString()!;
        var merchant = platform.Client(opened.GetProperty("apiKey").GetString()!);
        await merchant.AddStockedProductAsync(merchantId, "TEA", 100, stock: null);
        await merchant.AddStockedProductAsync(merchantId, "OWN", 100, stock: null);

        // *reviewer*: an operator's add of a product (at a price of its choosing) was unrecorded.
        var added = await operatorClient.PostAsJsonAsync($"/v1/merchants/{merchantId}/products", new { sku = "CHEAP", name = "Cheap", priceFen = 1 });
        var edited = await operatorClient.PatchAsJsonAsync($"/v1/merchants/{merchantId}/products/TEA", new { name = "Renamed Tea" });
        var archived = await operatorClient.DeleteAsync($"/v1/merchants/{merchantId}/products/TEA");
        var deliveryId = Grains.Platform.EntityId.New(Grains.Platform.EntityId.DeliveryPrefix);
        var retried = await operatorClient.PostAsync($"/v1/webhook-deliveries/{deliveryId}/retry", null);
        var byTheMerchant = await merchant.PatchAsJsonAsync($"/v1/merchants/{merchantId}/products/OWN", new { name = "Own Tea" });

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.NoContent, HttpStatusCode.OK), (added.StatusCode, edited.StatusCode, archived.StatusCode, byTheMerchant.StatusCode));
        await retried.AssertProblemAsync(HttpStatusCode.NotFound);
        var entries = await platform.Database.ScalarAsync<string>(
            "SELECT string_agg(action || ' ' || coalesce(detail::jsonb ->> 'merchantId', detail::jsonb ->> 'deliveryId') || coalesce(' ' || (detail::jsonb ->> 'sku'), ''), ', ' ORDER BY sequence) FROM audit_log WHERE actor_id = $1",
            acting.StaffId);
        Assert.Equal(
            // P1.7, P4.4 (*reviewer*): a retry of a delivery that does not exist is 404 with nothing written (RateLimitTests).
            $"merchant:opening-requested {merchantId}, catalogue:add-requested {merchantId} CHEAP, catalogue:edit-requested {merchantId} TEA, catalogue:archive-requested {merchantId} TEA",
            entries);
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action LIKE 'catalogue:%' AND position($1 in detail) > 0 AND position('\"OWN\"' in detail) > 0", merchantId));
    }

    [Fact]
    public async Task A_support_key_may_not_do_operator_work()
    {
        var staff = await platform.EnrolStaffAsync("Support Only", "support");

        var response = await platform.Client(staff.ApiKey).PostAsJsonAsync("/v1/merchants", new { name = "Not allowed" });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_enrolled_operator_may_open_merchants()
    {
        var staff = await platform.EnrolStaffAsync("Second Operator", "operator");

        var response = await platform.Client(staff.ApiKey).PostAsJsonAsync("/v1/merchants", new { name = "Opened by staff" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Keys_are_stored_only_as_hashes()
    {
        var staff = await platform.EnrolStaffAsync("Hash Check", "support");

        var rowsHoldingKey = await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM orleans_storage WHERE position($1 in convert_from(payload, 'UTF8')) > 0 OR grain_id_string = $1",
            staff.ApiKey);

        Assert.Equal(0L, rowsHoldingKey);
    }

    [Fact]
    public async Task Offboarding_a_member_ends_their_key_at_once_and_keeps_the_record()
    {
        var staff = await platform.EnrolStaffAsync("Leaving Agent", "support");
        var agent = platform.Client(staff.ApiKey);
        var before = await agent.GetAsync("/v1/requests?status=open");

        var offboarded = await platform.Operator().DeleteAsync($"/v1/staff/{staff.StaffId}");
        var after = await agent.GetAsync("/v1/requests?status=open");
        var record = await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/staff/{staff.StaffId}");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, offboarded.StatusCode);
        await after.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(JsonValueKind.String, record.GetProperty("offboardedAt").ValueKind);
    }

    // P1.7, P4.4 (*reviewer*): an offboarding whose write failed stayed in the staff grain's memory: the retry wrote nothing
    // and answered 204, and once the grain left memory the agent's record showed them current, offboarded by nobody.
    [Fact]
    public async Task P1_7_an_offboarding_whose_write_failed_is_stored_by_its_retry_and_holds_after_the_record_leaves_memory()
    {
        var leaving = await platform.EnrolStaffAsync("Retried Leaver", "support");
        var agent = platform.Client(leaving.ApiKey);
        var offboarder = await platform.EnrolStaffAsync("Offboarding Operator", "operator");
        var operatorClient = platform.Client(offboarder.ApiKey);

        var failed = await platform.Database.WhileStateWritesRefusedAsync(leaving.StaffId, () => operatorClient.DeleteAsync($"/v1/staff/{leaving.StaffId}"));
        var keyAfterFailure = await agent.GetAsync("/v1/requests?status=open");
        var afterFailure = await operatorClient.GetFromJsonAsync<JsonElement>($"/v1/staff/{leaving.StaffId}");
        var retried = await operatorClient.DeleteAsync($"/v1/staff/{leaving.StaffId}");
        await platform.Grains.GetGrain<IStaffGrain>(leaving.StaffId).EndActivationAsync();
        var reloaded = await operatorClient.GetFromJsonAsync<JsonElement>($"/v1/staff/{leaving.StaffId}");

        await failed.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        // Revoked before the record's write: dead from the first try.
        await keyAfterFailure.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(JsonValueKind.Null, afterFailure.GetProperty("offboardedAt").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, retried.StatusCode);
        Assert.Equal(JsonValueKind.String, reloaded.GetProperty("offboardedAt").ValueKind);
        Assert.Equal(offboarder.StaffId, reloaded.GetProperty("offboardedBy").GetString());
    }

    [Fact]
    public async Task Offboarding_twice_changes_nothing()
    {
        var staff = await platform.EnrolStaffAsync("Twice Gone", "operator");
        await platform.Operator().DeleteAsync($"/v1/staff/{staff.StaffId}");
        var first = await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/staff/{staff.StaffId}");

        var again = await platform.Operator().DeleteAsync($"/v1/staff/{staff.StaffId}");
        var second = await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/staff/{staff.StaffId}");

        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal(first.GetProperty("offboardedAt").GetString(), second.GetProperty("offboardedAt").GetString());
    }

    [Fact]
    public async Task Offboarding_an_unknown_member_is_404()
    {
        var response = await platform.Operator().DeleteAsync($"/v1/staff/{MeiLing.Grains.Platform.EntityId.New(MeiLing.Grains.Platform.EntityId.StaffPrefix)}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Support_may_not_offboard_anyone()
    {
        var colleague = await platform.EnrolStaffAsync("Colleague", "support");
        var agent = platform.Client((await platform.EnrolStaffAsync("Mischief", "support")).ApiKey);

        var response = await agent.DeleteAsync($"/v1/staff/{colleague.StaffId}");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(JsonValueKind.Null, (await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/staff/{colleague.StaffId}")).GetProperty("offboardedAt").ValueKind);
    }
}
