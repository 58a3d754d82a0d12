using System.Text.Json;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.Legal;

/// <summary>
/// P1.7, P3.3: the legal demands a user was not told of are kept from their ledger and their access log, so an operator's
/// read of them is on the audit log, naming no user, before it is answered.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class WithheldDisclosureReadTests(PlatformFixture platform)
{
    private const string Listed = "legal-disclosures:withheld-listed";

    // P1.7, P3.3 (*reviewer*): any operator paged through every withheld demand (the user, the authority, the document, what
    // was handed over, who recorded it) and nothing anywhere showed the read.
    [Fact]
    public async Task P1_7_P3_3_an_operators_read_of_the_withheld_legal_disclosures_is_on_the_audit_log_and_not_in_the_users_access_log()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var reviewer = await platform.EnrolStaffAsync("Reviewing Operator", "operator");
        var disclosureId = await WithheldDemandAsync(user.UserId, "（2026）京01刑调字第931号");

        var seen = await ListAllAsync(platform.Client(reviewer.ApiKey));

        Assert.Contains(disclosureId, seen);
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>(
            """
            SELECT count(*) FROM audit_log
             WHERE actor_role = 'operator' AND actor_id = $1 AND action = $2 AND subject_user_id IS NULL
               AND position($3 in detail) > 0
            """,
            reviewer.StaffId, Listed, disclosureId));
        var accessLog = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/access-log?limit=100");
        Assert.DoesNotContain(accessLog.GetProperty("items").EnumerateArray(), entry => entry.GetProperty("action").GetString() == Listed);
    }

    [Fact]
    public async Task P1_7_P3_3_a_read_of_the_withheld_legal_disclosures_the_audit_log_cannot_take_shows_nothing()
    {
        var user = await platform.RegisterUserAsync();
        var reviewer = await platform.EnrolStaffAsync("Refused Reviewing Operator", "operator");
        var disclosureId = await WithheldDemandAsync(user.UserId, "（2026）京01刑调字第932号");
        var refused = await platform.Database.WhileRefusingAsync("audit_log", $"NEW.action = '{Listed}' AND NEW.actor_id = '{reviewer.StaffId}'",
            () => platform.Client(reviewer.ApiKey).GetAsync("/v1/legal-disclosures?withheld=true&limit=500"));

        Assert.False(refused.IsSuccessStatusCode);
        Assert.DoesNotContain(disclosureId, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<string> WithheldDemandAsync(string userId, string reference) =>
        (await platform.RecordAndApproveAsync(userId, new
        {
            authority = "Beijing Public Security Bureau",
            documentType = "investigation-letter",
            documentReference = reference,
            fields = new[] { "phone", "orders" },
            notifyUser = false,
            withheldUntil = platform.WithheldFor90Days(),
        })).GetProperty("disclosureId").GetString()!;

    private static async Task<List<string>> ListAllAsync(HttpClient operatorKey)
    {
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await operatorKey.GetFromJsonAsync<JsonElement>(
                $"/v1/legal-disclosures?withheld=true&limit=500{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(disclosure => disclosure.GetProperty("disclosureId").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        return seen;
    }
}
