using System.Text.Json;
using MeiLing.Grains.Policies;

namespace MeiLing.Tests.Api;

[Collection(PlatformCollection.Name)]
public sealed class PoliciesApiTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_published_version_becomes_current_for_anyone()
    {
        // P6.1: policy versions are published and readable.
        var version = $"v{Guid.NewGuid():N}"[..20];
        var published = await platform.Operator().PostAsJsonAsync("/v1/policies", new { version, summary = "Clearer wording", reducesRights = false });
        Assert.Equal(HttpStatusCode.Created, published.StatusCode);

        var current = await platform.Client().GetFromJsonAsync<PolicyBody>("/v1/policies/current");

        Assert.Equal(version, current?.Version);
        Assert.Equal("Clearer wording", current?.Summary);
        Assert.False(current?.ReducesRights);
    }

    // P1.7, P6.1: whether a version reduces rights decides whether every user must consent again; who published which
    // version, and what they said of it, left no trace.
    [Fact]
    public async Task P1_7_P6_1_a_policy_publication_is_on_the_audit_log_with_its_operator_and_whether_it_reduces_rights()
    {
        var publisher = await platform.EnrolStaffAsync("Publishing Operator", "operator");
        var version = $"audited-{Guid.NewGuid():N}"[..32];

        var published = await platform.Client(publisher.ApiKey).PostAsJsonAsync("/v1/policies", new { version, summary = "Audited wording", reducesRights = false });

        Assert.Equal(HttpStatusCode.Created, published.StatusCode);
        Assert.Equal($"policy:publication-requested by {publisher.StaffId} false", await platform.Database.ScalarAsync<string>(
            "SELECT action || ' by ' || actor_id || ' ' || (detail::jsonb ->> 'reducesRights') FROM audit_log WHERE action = 'policy:publication-requested' AND position($1 in detail) > 0", version));
    }

    [Fact]
    public async Task Publishing_a_version_twice_is_409()
    {
        var version = $"d{Guid.NewGuid():N}"[..20];
        await platform.Operator().PostAsJsonAsync("/v1/policies", new { version, summary = "Once", reducesRights = false });

        var again = await platform.Operator().PostAsJsonAsync("/v1/policies", new { version, summary = "Twice", reducesRights = true });

        var problem = await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/policy-version-exists", problem.TypeOf(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_operators_publish()
    {
        var merchant = await platform.CreateMerchantAsync("Policy Reader");

        var response = await platform.Client(merchant.ApiKey).PostAsJsonAsync("/v1/policies", new { version = "m1", summary = "No", reducesRights = false });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task P4_4_P6_1_anyone_reads_the_policy_versions_a_page_at_a_time_and_the_pages_join_up_oldest_first()
    {
        var ours = Enumerable.Range(0, 3).Select(i => $"p{i}{Guid.NewGuid():N}"[..20]).ToList();
        foreach (var version in ours)
        {
            var published = await platform.Operator().PostAsJsonAsync("/v1/policies", new { version, summary = "Paged", reducesRights = false });
            Assert.Equal(HttpStatusCode.Created, published.StatusCode);
        }

        var anonymous = platform.Client();
        var read = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await anonymous.GetFromJsonAsync<JsonElement>($"/v1/policies?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}");
            var items = page.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("version").GetString()!).ToList();
            Assert.InRange(items.Count, 1, 2);
            read.AddRange(items);
            cursor = page.GetProperty("nextCursor").GetString();
            Assert.True(++pages <= IPrivacyPolicyGrain.MaxVersions, "the cursors never came to an end");
        }
        while (cursor is not null);
        var whole = await anonymous.GetFromJsonAsync<JsonElement>("/v1/policies");
        var tooMany = await anonymous.GetAsync($"/v1/policies?limit={IPrivacyPolicyGrain.MaxPageSize + 1}");
        var madeUp = await anonymous.GetAsync("/v1/policies?cursor=-1");

        // Every version once, in the order published, ours last among them.
        Assert.Equal(read.Distinct().Count(), read.Count);
        Assert.Equal(ours, read.TakeLast(3));
        Assert.InRange(whole.GetProperty("items").GetArrayLength(), 1, IPrivacyPolicyGrain.MaxPageSize);
        Assert.Equal(read.Take(IPrivacyPolicyGrain.MaxPageSize), whole.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("version").GetString()!));
        await tooMany.AssertProblemAsync(HttpStatusCode.BadRequest);
        await madeUp.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    private sealed record PolicyBody(string Version, string Summary, bool ReducesRights, DateTimeOffset PublishedAt);
}
