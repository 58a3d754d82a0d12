using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;

namespace MeiLing.Tests.Hosting;

/// <summary>A reference built from the once-resolved grain type is the very reference Orleans' GetGrain gives.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ResolvedGrainsTests(PlatformFixture platform)
{
    [Fact]
    public void A_resolved_reference_names_the_same_grain_through_the_same_interface()
    {
        var userId = EntityId.New(EntityId.UserPrefix);
        var orderId = EntityId.New(EntityId.OrderPrefix);

        AssertSame(platform.Grains.GetGrain<IUserConsents>(userId), platform.Grains.GetResolvedGrain<IUserConsents>(userId));
        AssertSame(platform.Grains.GetGrain<IUserConsentGate>(userId), platform.Grains.GetResolvedGrain<IUserConsentGate>(userId));
        AssertSame(platform.Grains.GetGrain<IOrderGrain>(orderId), platform.Grains.GetResolvedGrain<IOrderGrain>(orderId));
    }

    [Fact]
    public void An_integer_keyed_resolved_reference_names_the_same_grain_through_the_same_interface()
    {
        AssertSame(platform.Grains.GetGrain<IOrderPlacer>(0), platform.Grains.GetResolvedGrain<IOrderPlacer>(0));
        AssertSame(platform.Grains.GetGrain<IOrderListingsGrain>(7), platform.Grains.GetResolvedGrain<IOrderListingsGrain>(7));
        Assert.NotEqual(((GrainReference)platform.Grains.GetResolvedGrain<IOrderPlacer>(0)).GrainId, ((GrainReference)platform.Grains.GetResolvedGrain<IOrderPlacer>(1)).GrainId);
    }

    [Fact]
    public async Task A_resolved_reference_reaches_the_grain()
    {
        var user = await Users.UserApiClient.RegisterUserAsync(platform);

        var consents = await platform.Grains.GetResolvedGrain<IUserConsents>(user.UserId).GetConsents();

        Assert.NotEmpty(consents);
    }

    private static void AssertSame(IAddressable expected, IAddressable actual)
    {
        var (want, got) = ((GrainReference)expected, (GrainReference)actual);
        Assert.Equal(want.GrainId, got.GrainId);
        Assert.Equal(want.InterfaceType, got.InterfaceType);
    }
}
