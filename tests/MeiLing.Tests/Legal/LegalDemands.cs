using System.Text.Json;
using MeiLing.Tests.Api;

namespace MeiLing.Tests.Legal;

/// <summary>Legal demands as two operators make them: one records a withheld demand, a second approves it (P3.3, P1.7).</summary>
internal static class LegalDemands
{
    /// <summary>An end of a withholding the grain takes: 90 days from the platform's now.</summary>
    public static DateTimeOffset WithheldFor90Days(this PlatformFixture platform) => platform.Clock.GetUtcNow().AddDays(90);

    /// <summary>An operator's key the platform's operator enrolled: one person with the platform's operator, for the four eyes.</summary>
    public static async Task<HttpClient> SecondOperatorAsync(this PlatformFixture platform, string name = "Second Operator") =>
        platform.Client((await platform.EnrolStaffAsync(name, "operator")).ApiKey);

    /// <summary>
    /// A second pair of eyes beside the platform's operator: an operator enrolled by another operator, so neither enrolled
    /// the other.
    /// </summary>
    public static async Task<HttpClient> IndependentOperatorAsync(this PlatformFixture platform, string name = "Independent Operator") =>
        await platform.EnrolledByAsync(await platform.SecondOperatorAsync($"{name} Enroller"), name, "operator");

    /// <summary>A staff key of <paramref name="role"/> that <paramref name="enroller"/> (an operator's key) enrolled.</summary>
    public static async Task<HttpClient> EnrolledByAsync(this PlatformFixture platform, HttpClient enroller, string name, string role)
    {
        var enrolled = await enroller.PostAsJsonAsync("/v1/staff", new { name, role });
        Assert.True(enrolled.StatusCode == HttpStatusCode.Created, await enrolled.Content.ReadAsStringAsync());
        return platform.Client((await enrolled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString()!);
    }

    /// <summary>
    /// Records <paramref name="demand"/> (withheld from its user, or of documentType other) by the platform's operator, which
    /// awaits approval (202), and has an operator independent of it approve it; returns the demand as approved, handed over.
    /// </summary>
    public static async Task<JsonElement> RecordAndApproveAsync(this PlatformFixture platform, string userId, object demand)
    {
        var recorded = await platform.Operator().PostAsJsonAsync($"/v1/users/{userId}/legal-disclosures", demand);
        Assert.True(recorded.StatusCode == HttpStatusCode.Accepted, await recorded.Content.ReadAsStringAsync());
        var disclosureId = (await recorded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disclosureId").GetString()!;
        var approved = await (await platform.IndependentOperatorAsync()).PostAsJsonAsync(
            $"/v1/legal-disclosures/{disclosureId}/approval", new { reason = "The letter's seal checked with the bureau by phone." });
        Assert.True(approved.StatusCode == HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        return await approved.Content.ReadFromJsonAsync<JsonElement>();
    }
}
