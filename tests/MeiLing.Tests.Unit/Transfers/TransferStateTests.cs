using MeiLing.Grains.Transfers;

namespace MeiLing.Tests.Unit.Transfers;

public sealed class TransferStateTests
{
    private static readonly DateTimeOffset EffectiveAt = new(2027, 1, 15, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void P3_2_the_hand_over_begins_once_and_the_transfer_completes_after_it()
    {
        var transfer = new TransferState();
        transfer.Schedule("mer_1", "Tea House", "mer_2", "Successor", "CN", EffectiveAt);

        var begun = transfer.BeginHandOver();
        var again = transfer.BeginHandOver();
        var during = transfer.ToView("trf_1").Status;
        transfer.Complete();

        Assert.True(begun);
        Assert.False(again);
        Assert.Equal(TransferState.HandingOver, during);
        Assert.Equal(TransferState.Completed, transfer.ToView("trf_1").Status);
        Assert.False(transfer.BeginHandOver());
    }
}
