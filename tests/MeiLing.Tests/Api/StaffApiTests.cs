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
}
