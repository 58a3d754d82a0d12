using System.Text.Json;

namespace MeiLing.Tests.Api;

/// <summary>
/// P1.7, P4.4: the platform's own staff are listed (<c>GET /v1/staff</c>), each with the operator who enrolled them, so the
/// keys a leaked operator key minted can be found and offboarded after that key is.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PlatformStaffListTests(PlatformFixture platform)
{
    // A leaked `op_` key enrolled support agents and operators; once it was offboarded, the keys it minted kept working and
    // no route listed them, so no one could find them to revoke.
    [Fact]
    public async Task P1_7_Keys_an_operator_minted_are_listed_with_who_enrolled_them_after_that_operator_is_offboarded()
    {
        var leaked = await platform.EnrolStaffAsync("Leaked Operator", "operator");
        var leakedClient = platform.Client(leaked.ApiKey);
        var support = await EnrolAsync(leakedClient, "Minted Agent", "support");
        var second = await EnrolAsync(leakedClient, "Minted Operator", "operator");
        var offboarded = await platform.Operator().DeleteAsync($"/v1/staff/{leaked.StaffId}");

        var listed = await ListAllAsync(platform.Operator());
        var ids = listed.Select(StaffId).ToList();
        var supportAt = ids.IndexOf(support.StaffId);
        // Unlisted, nothing below can page to it: the key a leaked operator key minted is what the list must name.
        Assert.True(supportAt >= 0, $"{support.StaffId}, enrolled by {leaked.StaffId}, is not on GET /v1/staff");
        var onePage = await platform.Operator().GetFromJsonAsync<JsonElement>("/v1/staff?limit=1");
        var pagedOneByOne = new List<JsonElement>();
        for (var cursor = supportAt.ToString(System.Globalization.CultureInfo.InvariantCulture); cursor is not null && pagedOneByOne.All(item => StaffId(item) != second.StaffId);)
        {
            var page = await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/staff?limit=1&cursor={cursor}");
            pagedOneByOne.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }

        Assert.Equal(HttpStatusCode.NoContent, offboarded.StatusCode);
        await (await leakedClient.GetAsync("/v1/staff")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        // Listed in enrolment order, the offboarded minter too, and each minted key names who minted it.
        Assert.True(ids.IndexOf(leaked.StaffId) < supportAt && supportAt < ids.IndexOf(second.StaffId), string.Join(", ", ids));
        Assert.Equal(JsonValueKind.String, listed.Single(item => StaffId(item) == leaked.StaffId).GetProperty("offboardedAt").ValueKind);
        foreach (var minted in new[] { support, second })
        {
            var item = listed.Single(item => StaffId(item) == minted.StaffId);
            Assert.Equal((leaked.StaffId, minted.Role, JsonValueKind.Null), (item.GetProperty("enrolledBy").GetString(), item.GetProperty("role").GetString(), item.GetProperty("offboardedAt").ValueKind));
        }

        Assert.Single(onePage.GetProperty("items").EnumerateArray());
        Assert.Equal("1", onePage.GetProperty("nextCursor").GetString());
        Assert.Equal(support.StaffId, StaffId(pagedOneByOne[0]));
        Assert.Contains(pagedOneByOne, item => StaffId(item) == second.StaffId);
        Assert.All(pagedOneByOne, item => Assert.Single(listed, same => StaffId(same) == StaffId(item)));

        // Found, they are offboarded: the keys the leaked one minted stop working.
        var supportClient = platform.Client(support.ApiKey);
        var secondClient = platform.Client(second.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await supportClient.GetAsync("/v1/requests?status=open")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await secondClient.GetAsync("/v1/staff?limit=1")).StatusCode);
        foreach (var minted in new[] { support, second })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await platform.Operator().DeleteAsync($"/v1/staff/{minted.StaffId}")).StatusCode);
        }

        await (await supportClient.GetAsync("/v1/requests?status=open")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await secondClient.GetAsync("/v1/staff?limit=1")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.All((await ListAllAsync(platform.Operator())).Where(item => StaffId(item) == support.StaffId || StaffId(item) == second.StaffId),
            item => Assert.Equal(JsonValueKind.String, item.GetProperty("offboardedAt").ValueKind));
    }

    [Fact]
    public async Task P1_7_a_support_agent_or_a_merchant_may_not_list_the_platforms_staff_and_a_cursor_not_given_is_400()
    {
        var agent = platform.Client((await platform.EnrolStaffAsync("Curious Agent", "support")).ApiKey);
        var merchant = platform.Client((await platform.CreateMerchantAsync("Curious Merchant")).ApiKey);

        await (await agent.GetAsync("/v1/staff")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await merchant.GetAsync("/v1/staff")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await platform.Operator().GetAsync("/v1/staff?cursor=x")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await platform.Operator().GetAsync("/v1/staff?limit=101")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await platform.Operator().GetAsync("/v1/staff?limit=0")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    private static string StaffId(JsonElement item) => item.GetProperty("staffId").GetString()!;

    private static async Task<StaffEnrolledBody> EnrolAsync(HttpClient enroller, string name, string role)
    {
        var response = await enroller.PostAsJsonAsync("/v1/staff", new { name, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<StaffEnrolledBody>())!;
    }

    // Every page from the first: the test platform's list holds every test's enrolments.
    private static async Task<List<JsonElement>> ListAllAsync(HttpClient client)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>(cursor is null ? "/v1/staff?limit=100" : $"/v1/staff?limit=100&cursor={cursor}");
            items.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        return items;
    }
}
