using System.Text.Json;
using MeiLing.Grains;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Users;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.Api;

/// <summary>
/// An enum member of a body is exactly one of its names. The framework's converter alone also read a comma-separated
/// list as the OR of the members' values, flags or not: another member the caller never named, or none at all.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class EnumValueTests(PlatformFixture platform)
{
    [Theory]
    [InlineData("withdrawal,cancellation")] // 3 | 4: a type the platform does not have
    [InlineData("deletion, cancellation")]
    [InlineData("correction,deletion")] // 1 | 2: a withdrawal, which neither name asked for
    public async Task P8_1_a_request_type_naming_two_types_is_400_and_the_users_requests_stay_readable(string type)
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var support = platform.Client((await platform.EnrolStaffAsync($"Agent {Guid.NewGuid():N}", "support")).ApiKey);

        var byTheUser = await client.PostAsync($"/v1/users/{user.UserId}/requests", Json.Raw(JsonSerializer.Serialize(new { type })));
        var bySupport = await support.PostAsync($"/v1/users/{user.UserId}/requests", Json.Raw(JsonSerializer.Serialize(
            new { type, reason = "caller asked by phone", verification = "SMS code to the registered number" })));
        var listed = await client.GetAsync($"/v1/users/{user.UserId}/requests");
        var listedForSupport = await support.GetAsync($"/v1/users/{user.UserId}/requests");

        Assert.True((await byTheUser.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("type", out _));
        Assert.True((await bySupport.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("type", out _));
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, listedForSupport.StatusCode);
        Assert.Empty((await listed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task P8_1_the_user_grain_files_no_request_of_a_type_the_platform_does_not_have()
    {
        // As an API host that does not check the names (an older one, during a rolling upgrade) would pass it on.
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var refused = await Assert.ThrowsAsync<DomainException>(() => platform.Grains.GetGrain<IUserDataRights>(user.UserId).FileRequest(
            new FileDataRightsRequest((DataRightsRequestType)7, RequestDetails.None, "user", user.UserId, null, null)));
        var listed = await client.GetAsync($"/v1/users/{user.UserId}/requests");

        Assert.Equal(DomainErrorKind.Invalid, refused.Kind);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Empty((await listed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("paid,fulfilled")] // 1 | 2: cancelled
    [InlineData("fulfilled,refunded")] // 2 | 4: no status at all
    public async Task An_order_status_naming_two_statuses_is_400_and_leaves_the_order_as_it_was(string status)
    {
        var shop = await platform.OpenShopAsync();
        var order = await shop.PlaceOrderAsync();

        var response = await shop.MerchantClient.PostAsync($"/v1/orders/{order.Id()}/status", Json.Raw(JsonSerializer.Serialize(new { status })));
        var after = await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/orders/{order.Id()}");

        Assert.True((await response.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("status", out _));
        Assert.Equal("pending-payment", after.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("reset-password,confirm-request")] // 1 | 2: a guardian-consent code, texted to a number nobody registered as a guardian
    [InlineData("register, reset-password")]
    [InlineData(" register")]
    public async Task P1_1_a_code_purpose_naming_two_purposes_is_400_and_texts_nothing(string purpose)
    {
        var phone = UserApiClient.NewPhone();

        var response = await platform.Client().PostAsync("/v1/verification-codes", Json.Raw(JsonSerializer.Serialize(new { phone, purpose })));
        var outbox = await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/sandbox/sms?phone={phone}");

        Assert.True((await response.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("purpose", out _));
        Assert.Empty(outbox.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_staff_role_naming_two_roles_is_400()
    {
        var merchant = await platform.CreateMerchantAsync("Role Shop");

        var platformStaff = await platform.Operator().PostAsync("/v1/staff", Json.Raw("""{"name":"Two Hats","role":"support,operator"}"""));
        var merchantStaff = await platform.Client(merchant.ApiKey).PostAsync($"/v1/merchants/{merchant.MerchantId}/staff", Json.Raw("""{"name":"Two Hats","role":"manager,cashier"}"""));

        await platformStaff.AssertProblemAsync(HttpStatusCode.BadRequest);
        await merchantStaff.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_openapi_document_still_lists_every_enums_names()
    {
        var document = await platform.Client().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var schemas = document.GetProperty("components").GetProperty("schemas");

        Assert.Equal(["access", "correction", "deletion", "withdrawal", "cancellation"],
            schemas.GetProperty("DataRightsRequestType").GetProperty("enum").EnumerateArray().Select(name => name.GetString()));
        Assert.Equal(["pending-payment", "paid", "fulfilled", "cancelled", "refunded"],
            schemas.GetProperty("OrderStatus").GetProperty("enum").EnumerateArray().Select(name => name.GetString()));
    }
}
