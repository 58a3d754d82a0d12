using System.Text.Json;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Users;

namespace MeiLing.Tests.Users;

[Collection(PlatformCollection.Name)]
public sealed class ConsentTests(PlatformFixture platform)
{
    [Fact]
    public async Task Every_purpose_starts_not_granted()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var consents = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/consents");

        var items = consents.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(7, items.Count);
        Assert.All(items, item => Assert.False(item.GetProperty("granted").GetBoolean()));
        Assert.Contains(items, item => item.GetProperty("purpose").GetString() == "third-party-sources");
    }

    [Fact]
    public async Task A_consent_change_returns_a_receipt_readable_by_its_user_and_support()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var receipt = await client.SetConsentAsync(user.UserId, "marketing-sharing", true, version);
        var support = await Api.PlatformApiExtensions.EnrolStaffAsync(platform, "Receipt Reader", "support");
        var byUser = await client.GetFromJsonAsync<JsonElement>($"/v1/consent-records/{receipt.ReceiptId}");
        var bySupport = await platform.Client(support.ApiKey).GetFromJsonAsync<JsonElement>($"/v1/consent-records/{receipt.ReceiptId}");

        Assert.Equal("marketing-sharing", receipt.Purpose);
        Assert.Equal(version, receipt.PolicyVersion);
        Assert.Equal(user.UserId, byUser.GetProperty("userId").GetString());
        Assert.Equal("CN", byUser.GetProperty("jurisdiction").GetString());
        Assert.False(string.IsNullOrEmpty(byUser.GetProperty("collectionMethod").GetString()));
        Assert.Equal(receipt.ReceiptId, bySupport.GetProperty("receiptId").GetString());
    }

    [Fact]
    public async Task Another_users_receipt_is_404()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var owner = await platform.RegisterUserAsync();
        var receipt = await (await platform.AsUserAsync(owner)).SetConsentAsync(owner.UserId, "album", true, version);
        var stranger = await platform.AsUserAsync(await platform.RegisterUserAsync());

        var response = await stranger.GetAsync($"/v1/consent-records/{receipt.ReceiptId}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unknown_purpose_is_400_and_changes_nothing()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var response = await client.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/telepathy", new { granted = true, policyVersion = version });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty(await platform.Grains.GetGrain<IUserConsents>(user.UserId).GetConsentHistory());
    }

    [Fact]
    public async Task A_policy_version_never_published_is_400()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var response = await client.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/location", new { granted = true, policyVersion = "no-such-version" });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Fifty_concurrent_consent_changes_end_consistent_with_the_last_one_winning_and_no_repeat_is_recorded()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => client.SetConsentAsync(user.UserId, "personalization", i % 2 == 0, version)));

        var grain = platform.Grains.GetGrain<IUserGrain>(user.UserId);
        var history = await grain.GetConsentHistory();
        var current = (await grain.GetConsents()).Single(c => c.Purpose == ConsentPurpose.Personalization);
        // A change that arrives after the same answer is a no-op (it writes nothing), so the history alternates.
        Assert.InRange(history.Count, 1, 50);
        Assert.Equal(history.Count, history.Select(receipt => receipt.ReceiptId).Distinct().Count());
        Assert.All(history.Zip(history.Skip(1)), pair => Assert.NotEqual(pair.First.Granted, pair.Second.Granted));
        Assert.Equal(history[^1].Granted, current.Granted);
        Assert.Equal(history[^1].At, current.At);
    }

    [Fact]
    public async Task P1_12_personalization_and_notifications_are_separate_revocable_consents()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var grain = platform.Grains.GetGrain<IUserGrain>(user.UserId);
        await client.SetConsentAsync(user.UserId, "personalization", true, version);
        await client.SetConsentAsync(user.UserId, "notifications", true, version);

        await client.SetConsentAsync(user.UserId, "personalization", false, version);

        var refused = await Assert.ThrowsAsync<MeiLing.Grains.DomainException>(() =>
            grain.AuthorizeProcessing(ProcessingRequest.ForPurpose("recommend-products", ConsentPurpose.Personalization)));
        Assert.Equal("consent-required", refused.Code);
        var push = await grain.AuthorizeProcessing(ProcessingRequest.ForPurpose("send-push", ConsentPurpose.Notifications));
        Assert.Equal(LawfulBasis.Consent, push.Basis);
    }

    [Fact]
    public async Task P1_10_processing_without_consent_carries_its_named_exception()
    {
        var user = await platform.RegisterUserAsync();
        var grain = platform.Grains.GetGrain<IUserGrain>(user.UserId);

        var basis = await grain.AuthorizeProcessing(ProcessingRequest.Under("fulfil-order", LawfulBasis.ContractNecessity));
        var none = await Assert.ThrowsAsync<MeiLing.Grains.DomainException>(() =>
            grain.AuthorizeProcessing(new ProcessingRequest("anything", null, null)));

        Assert.Equal(LawfulBasis.ContractNecessity, basis.Basis);
        Assert.Null(basis.ReceiptId);
        Assert.Equal("basis-required", none.Code);
    }

    [Fact]
    public async Task P4_2_processing_for_a_party_in_another_region_is_refused_at_the_gate()
    {
        var user = await platform.RegisterUserAsync();
        var grain = platform.Grains.GetGrain<IUserGrain>(user.UserId);
        var home = (await grain.GetProfile())!.Region;
        var placing = ProcessingRequest.Under("place-order", LawfulBasis.ContractNecessity);

        var atHome = await grain.AuthorizeProcessing(placing.In(home));
        var abroad = await Assert.ThrowsAsync<MeiLing.Grains.DomainException>(() => grain.AuthorizeProcessing(placing.In("US")));

        Assert.Equal(LawfulBasis.ContractNecessity, atHome.Basis);
        Assert.Equal("region-mismatch", abroad.Code);
        Assert.Equal(MeiLing.Grains.DomainErrorKind.Invalid, abroad.Kind);
    }

    [Fact]
    public async Task P1_9_refusing_every_optional_purpose_never_blocks_sign_in_or_the_profile()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        foreach (var purpose in new[] { "location", "album", "calendar", "personalization", "notifications", "marketing-sharing", "third-party-sources" })
        {
            await client.SetConsentAsync(user.UserId, purpose, false, version);
        }

        var again = await platform.AsUserAsync(user);
        var profile = await again.GetAsync($"/v1/users/{user.UserId}");
        var correction = await again.PatchAsJsonAsync($"/v1/users/{user.UserId}", new { nickname = "still here" });

        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        Assert.Equal(HttpStatusCode.OK, correction.StatusCode);
    }
}
