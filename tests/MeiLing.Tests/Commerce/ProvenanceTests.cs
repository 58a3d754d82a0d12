using System.Text.Json;
using MeiLing.Grains.Users;
using MeiLing.Tests.Users;
using Orleans.Core.Internal;

namespace MeiLing.Tests.Commerce;

[Collection(PlatformCollection.Name)]
public sealed class ProvenanceTests(PlatformFixture platform)
{
    private static object Import() => new
    {
        source = "partner-address-book",
        authorization = "oauth grant 2026-11-24 scope=addresses",
        addresses = new[] { new { recipientName = "韩梅梅", phone = UserApiClient.NewPhone(), address = "北京市海淀区", doorNumber = "5-101" } },
    };

    [Fact]
    public async Task P1_8_third_party_data_without_third_party_sources_consent_is_403()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var response = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/addresses/imports", Import());

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.EndsWith("/consent-required", problem.TypeOf(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task P1_8_imported_data_records_its_source_authorization_and_consent()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var receipt = await client.SetConsentAsync(user.UserId, "third-party-sources", true, version);

        var response = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/addresses/imports", Import());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var provenance = (await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/addresses"))
            .GetProperty("items")[0].GetProperty("provenance");
        Assert.Equal("partner-address-book", provenance.GetProperty("source").GetString());
        Assert.Equal("oauth grant 2026-11-24 scope=addresses", provenance.GetProperty("authorization").GetString());
        Assert.Equal(receipt.ReceiptId, provenance.GetProperty("consentReceiptId").GetString());
    }

    // P1.8 (*reviewer*): withdrawing the consent to third-party sources kept every address imported under it.
    [Fact]
    public async Task P1_8_withdrawing_third_party_sources_forgets_the_addresses_imported_under_it()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "third-party-sources", true, version);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync($"/v1/users/{user.UserId}/addresses/imports", Import())).StatusCode);

        await client.SetConsentAsync(user.UserId, "third-party-sources", false, version);

        Assert.Empty((await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/addresses")).GetProperty("items").EnumerateArray());
        await platform.Grains.GetGrain<IUserGrain>(user.UserId).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/addresses")).GetProperty("items").EnumerateArray());
    }

    // P1.8 (*reviewer*): a withdrawal of third-party sources whose write of the user's state failed (503) kept its receipt, so
    // the consent read withdrawn, and the addresses imported under it stayed stored for good: only the same withdrawal sent
    // again forgot them, which the privacy center never sends. The account forgets them as it activates, and an activation
    // whose own write is refused still serves the account, without them.
    [Fact]
    public async Task P1_8_a_withdrawal_of_third_party_sources_whose_write_failed_forgets_the_imports_when_the_account_activates_again()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "third-party-sources", true, version);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync($"/v1/users/{user.UserId}/addresses/imports", Import())).StatusCode);
        var grain = platform.Grains.GetGrain<IUserGrain>(user.UserId);
        var userState = $"NEW.grain_id_string = '{user.UserId}' AND NEW.grain_type = 'user'";

        var failed = await platform.Database.WhileRefusingAsync("orleans_storage", userState,
            () => client.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/third-party-sources", new { granted = false, policyVersion = version }));
        await grain.EndActivationAsync();
        var whileWritesRefused = await platform.Database.WhileRefusingAsync("orleans_storage", userState,
            () => client.GetAsync($"/v1/users/{user.UserId}/addresses"));
        await grain.EndActivationAsync();
        var addresses = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/addresses");
        var writtenOnce = await StateVersionOf(user.UserId);
        await grain.EndActivationAsync();
        var again = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/addresses");

        await failed.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.OK, whileWritesRefused.StatusCode);
        Assert.Empty((await whileWritesRefused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray());
        Assert.Empty(addresses.GetProperty("items").EnumerateArray());
        Assert.Empty(again.GetProperty("items").EnumerateArray());
        // Stored: the activation after that read nothing left to forget, and wrote nothing.
        Assert.Equal(writtenOnce, await StateVersionOf(user.UserId));
    }

    private Task<int> StateVersionOf(string userId) =>
        platform.Database.ScalarAsync<int>("SELECT version FROM orleans_storage WHERE grain_id_string = $1 AND grain_type = 'user'", userId);

    // P1.8 (*reviewer*): an import whose write of the user's state failed (503) was still served from memory, and the client's
    // retry added a second copy of every address beside it, which the write then stored.
    [Fact]
    public async Task P1_8_an_address_import_whose_write_failed_and_was_retried_is_kept_once()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "third-party-sources", true, version);
        var import = Import();

        var failed = await platform.Database.WhileRefusingAsync(
            "orleans_storage", $"NEW.grain_id_string = '{user.UserId}' AND NEW.grain_type = 'user'",
            () => client.PostAsJsonAsync($"/v1/users/{user.UserId}/addresses/imports", import));
        var retried = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/addresses/imports", import);
        await platform.Grains.GetGrain<IUserGrain>(user.UserId).EndActivationAsync();
        var addresses = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/addresses");

        await failed.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal("北京市海淀区", Assert.Single(addresses.GetProperty("items").EnumerateArray()).GetProperty("address").GetString());
    }
}
