using MeiLing.Api.Apis;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Validation;

namespace MeiLing.Tests.Api;

#pragma warning disable ASP0029 // The resolver interface is marked for evaluation.

/// <summary>The validation's description of a request body is built once, not on every request, and still validates.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ValidationDescriptionTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_bodys_validation_description_is_the_same_on_every_request_and_still_refuses_bad_input()
    {
        var options = platform.Api.Services.GetRequiredService<IOptions<ValidationOptions>>().Value;

        Assert.True(options.TryGetValidatableTypeInfo(typeof(PlaceOrderRequest), out var first));
        Assert.True(options.TryGetValidatableTypeInfo(typeof(PlaceOrderRequest), out var second));
        Assert.Same(first, second);

        var merchant = await platform.CreateMerchantAsync("Validation House");
        var response = await platform.Client(merchant.ApiKey).PostAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/orders", new { items = Array.Empty<object>() });
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("items", out _), problem.ToString());
    }
}
