using MeiLing.Grains.Platform;
using Npgsql;

namespace MeiLing.Grains.MemberCards;

/// <summary>Which member cards exist, by merchant and by user: how erasure and export find a user's cards.</summary>
public sealed class MemberCardIndexStore(NpgsqlDataSource dataSource)
{
    public async Task AddAsync(string merchantId, string userId)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO member_card_index (merchant_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING");
        command.Parameters.Add(new() { Value = merchantId });
        command.Parameters.Add(new() { Value = userId });
        await command.ExecuteNonQueryAsync();
    }

    public async Task RemoveAsync(string merchantId, string userId)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM member_card_index WHERE merchant_id = $1 AND user_id = $2");
        command.Parameters.Add(new() { Value = merchantId });
        command.Parameters.Add(new() { Value = userId });
        await command.ExecuteNonQueryAsync();
    }

    public Task<IReadOnlyList<string>> MerchantsOfUserAsync(string userId) =>
        dataSource.ReadStringsAsync("SELECT merchant_id FROM member_card_index WHERE user_id = $1 ORDER BY merchant_id", userId);

    /// <summary>Up to <paramref name="limit"/> of the merchant's card holders after <paramref name="afterUserId"/>, in id order (a termination's batch).</summary>
    public Task<IReadOnlyList<string>> UsersOfMerchantAsync(string merchantId, string afterUserId, int limit) =>
        dataSource.ReadStringsAsync(
            "SELECT user_id FROM member_card_index WHERE merchant_id = $1 AND user_id > $2 ORDER BY user_id LIMIT $3", merchantId, afterUserId, limit);
}
