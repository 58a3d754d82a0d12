using System.Text.Json;
using System.Text.RegularExpressions;
using MeiLing.Tests.Infrastructure;

namespace MeiLing.Tests.Users;

/// <summary>P6.1: users who registered before any policy was published, on a platform of their own.</summary>
[Collection(UnpublishedPolicyCollection.Name)]
public sealed class UnacceptedPolicyTests(PlatformFixture platform)
{
    // P6.1 (*reviewer*): the privacy center named the current version for a user who had accepted none, unseen: a click on any
    // consent (a withdrawal too) accepted it, a rights-reducing version included, and processing went on under it. The page
    // shows the version with the choices, and a choice accepts the one it showed, never one it did not.
    [Fact]
    public async Task P6_1_a_user_who_accepted_no_policy_accepts_only_the_version_the_privacy_center_showed_with_the_choice()
    {
        var user = await platform.RegisterUserAsync();
        var api = await platform.AsUserAsync(user);
        var before = (await api.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}")).GetProperty("acceptedPolicyVersion").ValueKind;
        var reducing = $"red-{Guid.NewGuid():N}"[..20];
        (await platform.Operator().PostAsJsonAsync("/v1/policies", new { version = reducing, summary = "Shares more with partners", reducesRights = true }))
            .EnsureSuccessStatusCode();
        var browser = platform.Api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/privacy/signin", new() { ["phone"] = user.Phone, ["password"] = user.Password })).StatusCode);

        var unseen = await browser.PostFormAsync("/privacy?handler=Consent", new() { ["purpose"] = "personalization", ["granted"] = "true" }, "/privacy");
        var afterUnseen = (await api.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}")).GetProperty("acceptedPolicyVersion").ValueKind;
        var page = await browser.GetStringAsync("/privacy");
        var shown = Regex.Match(page, "name=\"policyVersion\" value=\"([^\"]+)\"").Groups[1].Value;
        var seen = await browser.PostFormAsync("/privacy?handler=Consent", new() { ["purpose"] = "personalization", ["granted"] = "true", ["policyVersion"] = shown }, "/privacy");
        var afterSeen = (await api.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}")).GetProperty("acceptedPolicyVersion").GetString();

        Assert.Equal(JsonValueKind.Null, before);
        Assert.Equal(HttpStatusCode.Redirect, unseen.StatusCode);
        Assert.Equal(JsonValueKind.Null, afterUnseen);
        Assert.Contains($"Making a choice accepts privacy policy {reducing}: Shares more with partners", page, StringComparison.Ordinal);
        Assert.Equal(reducing, shown);
        Assert.Equal(HttpStatusCode.Redirect, seen.StatusCode);
        Assert.Equal(reducing, afterSeen);
    }
}

/// <summary>A platform whose tests publish their own policy versions, none before the first user registers.</summary>
[CollectionDefinition(Name)]
public sealed class UnpublishedPolicyCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "unpublished-policy";
}
