using Orleans.Concurrency;

namespace MeiLing.Grains.MemberCards;

[StatelessWorker]
internal sealed class MemberCardSettlementsGrain(MemberCardSettlements settlements) : Grain, IMemberCardSettlementsGrain
{
    Task<IReadOnlyList<CardSettlement>> IMemberCardSettlementsGrain.OfMerchant(string merchantId, int limit) =>
        settlements.OfMerchantAsync(merchantId, limit);

    Task<long> IMemberCardSettlementsGrain.SettledForUser(string userId) => settlements.SettledForUserAsync(userId);
}
