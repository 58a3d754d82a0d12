using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Users;

namespace MeiLing.Tests.Unit.Users;

public sealed class RecentDisclosuresTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void P4_4_the_same_hand_over_again_within_a_day_is_not_recorded_again_but_is_after_it()
    {
        var recent = new RecentDisclosures();
        var read = ToMerchant("mch_1");

        Assert.False(recent.WasRecordedLately(read, Now));
        recent.Recorded(read, Now);

        Assert.True(recent.WasRecordedLately(read with { At = Now.AddHours(5) }, Now.AddHours(23)));
        Assert.False(recent.WasRecordedLately(read, Now.AddDays(1)));
    }

    [Fact]
    public void P4_4_a_hand_over_to_another_recipient_of_other_fields_or_for_another_purpose_is_recorded()
    {
        var recent = new RecentDisclosures();
        var read = ToMerchant("mch_1");
        recent.Recorded(read, Now);

        Assert.False(recent.WasRecordedLately(read with { Recipient = "mch_2" }, Now));
        Assert.False(recent.WasRecordedLately(read with { Fields = ["items", "delivery"] }, Now));
        Assert.False(recent.WasRecordedLately(read with { Purpose = "delivery" }, Now));
        Assert.False(recent.WasRecordedLately(read with { DocumentReference = "subpoena 42" }, Now));
    }

    private static DisclosureRecord ToMerchant(string merchantId) =>
        new(merchantId, RecipientKind.Merchant, ["items", "total"], "order-management", LawfulBasis.ContractNecessity, Now, null);
}
