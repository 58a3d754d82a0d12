using MeiLing.Grains.Merchants;

namespace MeiLing.Tests.Api;

// P1.7, P4.3, P4.4: what one key does to a merchant that nobody can undo is on the record, and bounded.

[Collection(PlatformCollection.Name)]
public sealed class MerchantKeyTests(PlatformFixture platform)
{
    [Fact]
    public async Task Replacing_a_merchants_key_ends_the_old_one_at_once_and_the_new_one_works()
    {
        var merchant = await platform.CreateMerchantAsync("Leaky Till");

        var response = await platform.Operator().PostAsync($"/v1/merchants/{merchant.MerchantId}/api-key", null);
        var replaced = await response.Content.ReadFromJsonAsync<MerchantCreatedBody>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(merchant.ApiKey, replaced!.ApiKey);
        await (await platform.Client(merchant.ApiKey).GetAsync($"/v1/merchants/{merchant.MerchantId}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await platform.Client(replaced.ApiKey).GetAsync($"/v1/merchants/{merchant.MerchantId}")).StatusCode);
    }

    [Fact]
    public async Task A_merchant_replaces_its_own_key()
    {
        var merchant = await platform.CreateMerchantAsync("Careful Shop");

        var response = await platform.Client(merchant.ApiKey).PostAsync($"/v1/merchants/{merchant.MerchantId}/api-key", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await (await platform.Client(merchant.ApiKey).GetAsync($"/v1/merchants/{merchant.MerchantId}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Another_merchants_key_cannot_be_replaced()
    {
        var victim = await platform.CreateMerchantAsync("Victim Shop");
        var other = await platform.CreateMerchantAsync("Other Shop");

        var response = await platform.Client(other.ApiKey).PostAsync($"/v1/merchants/{victim.MerchantId}/api-key", null);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await platform.Client(victim.ApiKey).GetAsync($"/v1/merchants/{victim.MerchantId}")).StatusCode);
    }

    [Fact]
    public async Task Replacing_the_key_of_an_unknown_merchant_is_404()
    {
        var unknown = MeiLing.Grains.Platform.EntityId.New(MeiLing.Grains.Platform.EntityId.MerchantPrefix);

        var response = await platform.Operator().PostAsync($"/v1/merchants/{unknown}/api-key", null);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    // P1.7: an operator's new key for a merchant revoked the merchant's own and handed its customers (their ids on every
    // order, their deliveries unmasked) to whoever held it; and an operator's start of a termination, which erases the
    // customers' data there for good, named no one. Neither left a trace.
    [Fact]
    public async Task P1_7_P4_3_an_operators_new_key_for_a_merchant_and_start_of_its_termination_are_on_the_audit_log_with_who()
    {
        var merchant = await platform.CreateMerchantAsync("Watched Shop");

        var replaced = await platform.Operator().PostAsync($"/v1/merchants/{merchant.MerchantId}/api-key", null);
        var terminated = await platform.Operator().PostAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/termination", new { noticeDays = 45 });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Accepted), (replaced.StatusCode, terminated.StatusCode));
        var entries = await platform.Database.ScalarAsync<string>(
            "SELECT string_agg(action || ' by ' || actor_role || ' ' || actor_id, ', ' ORDER BY sequence) FROM audit_log WHERE action LIKE 'merchant:%' AND detail::jsonb ->> 'merchantId' = $1",
            merchant.MerchantId);
        Assert.Equal("merchant:opening-requested by operator operator-bootstrap, merchant:key-replacement-requested by operator operator-bootstrap, merchant:termination-requested by operator operator-bootstrap", entries);
        Assert.Equal(45L, await platform.Database.ScalarAsync<long>(
            "SELECT (detail::jsonb ->> 'noticeDays')::bigint FROM audit_log WHERE action = 'merchant:termination-requested' AND detail::jsonb ->> 'merchantId' = $1", merchant.MerchantId));
    }

    // P4.4: a merchant key replacing itself in a loop (each new key the next call's) wrote an audit entry and revoked a key
    // across the cluster per call, with no end.
    [Fact]
    public async Task P4_4_a_merchant_issues_itself_at_most_ten_new_keys_a_day_and_the_refused_one_is_neither_issued_nor_audited()
    {
        var merchant = await platform.CreateMerchantAsync("Restless Shop");
        var key = merchant.ApiKey;
        for (var i = 0; i < IMerchantGrain.MaxKeyReplacementsPerDay; i++)
        {
            var response = await platform.Client(key).PostAsync($"/v1/merchants/{merchant.MerchantId}/api-key", null);
            key = (await response.Content.ReadFromJsonAsync<MerchantCreatedBody>())!.ApiKey;
        }

        var refused = await platform.Client(key).PostAsync($"/v1/merchants/{merchant.MerchantId}/api-key", null);

        Assert.EndsWith("/quota-exceeded", (await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await platform.Client(key).GetAsync($"/v1/merchants/{merchant.MerchantId}")).StatusCode);
        Assert.Equal((long)IMerchantGrain.MaxKeyReplacementsPerDay, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'merchant:key-replacement-requested' AND detail::jsonb ->> 'merchantId' = $1", merchant.MerchantId));
        // An operator still replaces a key the merchant has lost.
        Assert.Equal(HttpStatusCode.OK, (await platform.Operator().PostAsync($"/v1/merchants/{merchant.MerchantId}/api-key", null)).StatusCode);
    }
}
