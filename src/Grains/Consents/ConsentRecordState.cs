using MeiLing.Grains.Privacy;

namespace MeiLing.Grains.Consents;

/// <summary>Persisted state of a consent receipt: the receipt itself, immutable.</summary>
[HoldsPersonalData]
public sealed class ConsentRecordState
{
    [PersonalData(DataCategory.Basic)]
    public ConsentReceipt? Receipt { get; set; }
}
