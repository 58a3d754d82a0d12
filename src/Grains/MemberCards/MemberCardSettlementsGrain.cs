using Orleans.Concurrency;

namespace MeiLing.Grains.MemberCards;

[StatelessWorker]
internal sealed class MemberCardSettlementsGrain(MemberCardSettlements settlements) : Grain, IMemberCardSettlementsGrain
{
    Task<IReadOnlyList<CardSettlement>> IMemberCardSettlementsGrain.OfMerchant(string merchantId, int limit) =>
        settlements.OfMerchantAsync(merchantId, limit);

    Task<CardSettlementPage> IMemberCardSettlementsGrain.PageOfMerchant(string merchantId, string? cursor, int limit) =>
        limit is >= 1 and <= IMemberCardSettlementsGrain.MaxPageSize
            ? settlements.PageOfMerchantAsync(merchantId, cursor, limit)
            : throw DomainException.InvalidField("limit", "invalid-limit", $"A page holds 1 to {IMemberCardSettlementsGrain.MaxPageSize} settlements.");

    Task<long> IMemberCardSettlementsGrain.SettledForUser(string userId) => settlements.SettledForUserAsync(userId);
}
