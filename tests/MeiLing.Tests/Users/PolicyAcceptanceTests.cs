using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MeiLing.Tests.Users;

/// <summary>P6.1 in its own collection: publishing a rights-reducing version affects every user of the cluster.</summary>
[Collection(PolicyCollection.Name)]
public sealed class PolicyAcceptanceTests(PlatformFixture platform)
{
    [Fact]
    public async Task P6_1_after_a_rights_reducing_version_processing_waits_for_acceptance_but_reading_and_consenting_do_not()
    {
        var before = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "location", true, before);
        var reducing = $"less-{Guid.NewGuid():N}"[..20];
        (await platform.Operator().PostAsJsonAsync("/v1/policies", new { version = reducing, summary = "Shares more", reducesRights = true })).EnsureSuccessStatusCode();

        var blocked = await client.PostLocationAsync(user.UserId);
        var reading = await client.GetAsync($"/v1/users/{user.UserId}");
        var accepted = await client.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/location", new { granted = true, policyVersion = reducing });
        var unblocked = await client.PostLocationAsync(user.UserId);

        var problem = await blocked.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.EndsWith("/policy-consent-required", problem.TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, reading.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Created, unblocked.StatusCode);
    }

    // P6.1 (*reviewer*): after a rights-reducing version, the privacy center still named the version the user had accepted
    // with every choice: each was receipted under it, nothing accepted the new one, and processing stayed refused with no way
    // out but the raw API. The page shows the new version with the choices, and a choice accepts it.
    [Fact]
    public async Task P6_1_the_privacy_center_shows_a_rights_reducing_version_with_the_choices_and_a_choice_accepts_it()
    {
        var before = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "location", true, before);
        var reducing = $"cut-{Guid.NewGuid():N}"[..20];
        (await platform.Operator().PostAsJsonAsync("/v1/policies", new { version = reducing, summary = "Shares more with partners", reducesRights = true })).EnsureSuccessStatusCode();
        var browser = platform.Api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/privacy/signin", new() { ["phone"] = user.Phone, ["password"] = user.Password })).StatusCode);
        var blocked = await client.PostLocationAsync(user.UserId);

        var page = await browser.GetStringAsync("/privacy");
        var shown = Regex.Match(page, "name=\"policyVersion\" value=\"([^\"]+)\"").Groups[1].Value;
        // *reviewer*: a withdrawal accepts nothing, even naming the version shown: it is receipted under the one accepted.
        var withdrawn = await browser.PostFormAsync("/privacy?handler=Consent", new() { ["purpose"] = "location", ["granted"] = "false", ["policyVersion"] = shown }, "/privacy");
        var acceptedAfterWithdrawing = (await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}")).GetProperty("acceptedPolicyVersion").GetString();
        var chosen = await browser.PostFormAsync("/privacy?handler=Consent", new() { ["purpose"] = "location", ["granted"] = "true", ["policyVersion"] = shown }, "/privacy");
        var accepted = (await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}")).GetProperty("acceptedPolicyVersion").GetString();
        var unblocked = await client.PostLocationAsync(user.UserId);
        var pageAfter = await browser.GetStringAsync("/privacy");

        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.Contains($"Making a choice accepts privacy policy {reducing}: Shares more with partners", page, StringComparison.Ordinal);
        Assert.Equal(reducing, shown);
        Assert.Equal(HttpStatusCode.Redirect, withdrawn.StatusCode);
        Assert.Equal(before, acceptedAfterWithdrawing);
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.Equal(reducing, accepted);
        Assert.Equal(HttpStatusCode.Created, unblocked.StatusCode);
        Assert.DoesNotContain("name=\"policyVersion\"", pageAfter, StringComparison.Ordinal);
    }

    // P6.1 (*reviewer*): the privacy center's registration showed no policy and sent no version, so the account recorded the
    // current one as accepted: a rights-reducing version published while the form was open included, never shown.
    [Fact]
    public async Task P6_1_the_privacy_centers_registration_shows_the_policy_and_accepts_the_version_it_showed()
    {
        var current = await platform.CurrentPolicyVersionAsync();
        var phone = UserApiClient.NewPhone();
        var browser = platform.Api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var form = await (await browser.PostFormAsync("/privacy/register?handler=Code", new() { ["phone"] = phone })).Content.ReadAsStringAsync();
        var shown = Regex.Match(form, "name=\"Input.PolicyVersion\" value=\"([^\"]+)\"").Groups[1].Value;
        var verificationId = Regex.Match(form, "name=\"Input.VerificationId\" value=\"(vrf_[0-9a-f]{32})\"").Groups[1].Value;
        var reducing = $"reg-{Guid.NewGuid():N}"[..20];
        (await platform.Operator().PostAsJsonAsync("/v1/policies", new { version = reducing, summary = "Shares more", reducesRights = true })).EnsureSuccessStatusCode();

        var registered = await browser.PostFormAsync("/privacy/register", new()
        {
            ["Input.Phone"] = phone, ["Input.VerificationCode"] = await platform.LatestCodeAsync(phone, "register"), ["Input.Nickname"] = "小美",
            ["Input.Password"] = "a long passphrase", ["Input.VerificationId"] = verificationId, ["Input.PolicyVersion"] = shown,
        });
        var session = await platform.SignInAsync(new RegisteredUser("", phone, "a long passphrase"));
        var client = platform.Client();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", session.Token);
        var profile = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{session.UserId}");

        Assert.Equal(current, shown);
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        Assert.Equal(shown, profile.GetProperty("acceptedPolicyVersion").GetString());
    }

    [Fact]
    public async Task P6_1_a_merchant_cannot_order_for_a_user_who_has_not_accepted_a_rights_reducing_version()
    {
        var shop = await Commerce.CommerceApiClient.OpenShopAsync(platform);
        var reducing = $"ord-{Guid.NewGuid():N}"[..20];
        (await platform.Operator().PostAsJsonAsync("/v1/policies", new { version = reducing, summary = "Shares more", reducesRights = true })).EnsureSuccessStatusCode();

        var refused = await shop.MerchantClient.PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/orders",
            new { userId = shop.Customer.UserId, items = new[] { new { sku = "TEA-1", quantity = 1 } } });
        await shop.CustomerClient.SetConsentAsync(shop.Customer.UserId, "notifications", false, reducing);
        var accepted = await shop.MerchantClient.PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/orders",
            new { userId = shop.Customer.UserId, items = new[] { new { sku = "TEA-1", quantity = 1 } } });

        var problem = await refused.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.EndsWith("/policy-consent-required", problem.TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    // P6.1 (*reviewer*): registration recorded the version current when the account was written as accepted, whatever the
    // app had shown: one published while the user read the earlier (reducing their rights) was accepted unseen.
    [Fact]
    public async Task P6_1_registering_naming_the_version_before_a_reducing_one_waits_for_its_acceptance()
    {
        var shown = await platform.CurrentPolicyVersionAsync();
        var reducing = $"unseen-{Guid.NewGuid():N}"[..20];
        (await platform.Operator().PostAsJsonAsync("/v1/policies", new { version = reducing, summary = "Shares more", reducesRights = true })).EnsureSuccessStatusCode();
        var user = await platform.RegisterUserAsync(new { policyVersion = shown });
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "location", true, shown);
        var unknown = await platform.Client().PostAsJsonAsync("/v1/users", new
        {
            phone = UserApiClient.NewPhone(), password = "correct horse battery", nickname = "小美", policyVersion = "never-published",
        });

        var blocked = await client.PostLocationAsync(user.UserId);
        await client.SetConsentAsync(user.UserId, "location", true, reducing);
        var accepted = await client.PostLocationAsync(user.UserId);

        Assert.EndsWith("/policy-consent-required", (await blocked.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal("policyVersion", (await unknown.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateObject().First().Name);
    }

    [Fact]
    public async Task P6_1_a_user_registering_after_the_version_has_accepted_it()
    {
        var reducing = $"reg-{Guid.NewGuid():N}"[..20];
        (await platform.Operator().PostAsJsonAsync("/v1/policies", new { version = reducing, summary = "Shares more", reducesRights = true })).EnsureSuccessStatusCode();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "location", true, reducing);

        var response = await client.PostLocationAsync(user.UserId);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task P6_1_a_rights_reducing_version_changes_every_silos_standing_at_once()
    {
        // Each silo keeps where an accepted version stands; publishing must leave none answering from before it.
        var accepted = $"acc-{Guid.NewGuid():N}"[..20];
        (await platform.Operator().PostAsJsonAsync("/v1/policies", new { version = accepted, summary = "Same rights", reducesRights = false })).EnsureSuccessStatusCode();
        var everySilo = platform.EverySilo.Select(silo => silo.GetRequiredService<MeiLing.Grains.Platform.SiloFacts>()).ToList();
        foreach (var silo in everySilo)
        {
            Assert.True((await silo.PolicyStandingAsync(accepted)).Satisfies);
        }

        var reducing = $"red-{Guid.NewGuid():N}"[..20];
        (await platform.Operator().PostAsJsonAsync("/v1/policies", new { version = reducing, summary = "Shares more", reducesRights = true })).EnsureSuccessStatusCode();

        foreach (var silo in everySilo)
        {
            Assert.False((await silo.PolicyStandingAsync(accepted)).Satisfies);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PolicyCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "policy";
}
