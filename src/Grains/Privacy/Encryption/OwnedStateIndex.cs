using MeiLing.Grains.Platform;
using Npgsql;

namespace MeiLing.Grains.Privacy.Encryption;

/// <summary>
/// Which grain states are sealed under a user's key (<c>user_owned_states</c>). The database keeps it in the same
/// statement that writes, clears or un-owns a state (anonymized, redacted), from the owner the sealed envelope
/// names, so it can never miss a state that a crash left behind; asking it costs one user's rows, whatever the
/// size of the platform.
/// </summary>
public sealed class OwnedStateIndex(NpgsqlDataSource dataSource)
{
    /// <summary>The verification's query: answered from the index on <c>user_id</c>.</summary>
    public const string GrainTypesOfUserSql =
        "SELECT DISTINCT grain_type FROM user_owned_states WHERE user_id = $1 ORDER BY grain_type";

    /// <summary>The grain types (never ids or data) of the states still sealed under the user's key.</summary>
    public Task<IReadOnlyList<string>> GrainTypesOfUserAsync(string userId) => dataSource.ReadStringsAsync(GrainTypesOfUserSql, userId);
}
