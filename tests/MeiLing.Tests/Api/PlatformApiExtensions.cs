namespace MeiLing.Tests.Api;

internal sealed record MerchantCreatedBody(string MerchantId, string ApiKey);

internal sealed record StaffEnrolledBody(string StaffId, string Role, string ApiKey);

/// <summary>Arrange steps shared by API tests, done through the API as a client would.</summary>
internal static class PlatformApiExtensions
{
    public static async Task<MerchantCreatedBody> CreateMerchantAsync(this PlatformFixture platform, string name)
    {
        var response = await platform.Operator().PostAsJsonAsync("/v1/merchants", new { name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<MerchantCreatedBody>())!;
    }

    public static async Task<StaffEnrolledBody> EnrolStaffAsync(this PlatformFixture platform, string name, string role)
    {
        var response = await platform.Operator().PostAsJsonAsync("/v1/staff", new { name, role });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<StaffEnrolledBody>())!;
    }
}
