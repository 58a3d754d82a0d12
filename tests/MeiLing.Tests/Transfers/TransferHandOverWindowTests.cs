using MeiLing.Grains.Platform;
using MeiLing.Grains.Transfers;

namespace MeiLing.Tests.Transfers;

/// <summary>P3.1, P3.2: which merchants a user's later rights reach once a transfer hands the user over.</summary>
[Collection(PlatformCollection.Name)]
public sealed class TransferHandOverWindowTests(PlatformFixture platform)
{
    // A transfer records the orders it hands over, moves them to the successor, then marks the user settled. A request filed
    // between the move and the mark listed the merchant only by the orders the index still named it for (none), and did not
    // count it as a merchant that handed the user over: it was told of none of the orders it keeps copies of.
    [Fact]
    public async Task P3_1_a_merchant_whose_orders_for_the_user_are_recorded_as_handed_over_hears_of_them_before_the_user_is_settled()
    {
        var store = new TransferUsersStore(platform.Database.DataSource);
        var transferId = EntityId.New(EntityId.TransferPrefix);
        var (handedOver, objected) = (EntityId.New(EntityId.UserPrefix), EntityId.New(EntityId.UserPrefix));
        await store.AddAsync(transferId, "mer_source", [handedOver, objected]);
        await store.ObjectAsync(transferId, objected, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(30));

        await store.RecordHandedOverOrdersAsync(transferId, handedOver, ["ord_moving"]);
        var whileMoving = await store.MerchantsThatHandedOverAsync(handedOver);
        await store.MarkSettledAsync(transferId, "mer_source", handedOver, DateTimeOffset.UtcNow);
        var settled = await store.MerchantsThatHandedOverAsync(handedOver);

        Assert.Equal(["ord_moving"], whileMoving["mer_source"]);
        Assert.Equal(["ord_moving"], settled["mer_source"]);
        Assert.Empty(await store.MerchantsThatHandedOverAsync(objected));
    }
}
