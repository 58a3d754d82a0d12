using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using Npgsql;

namespace MeiLing.Silo.Schema;

/// <summary>
/// The one-off import of what earlier versions kept in users' states (consent history, notices, ticket links): each
/// user listed by migration 0037 is asked to move its fields (<see cref="IUserLegacyImport"/>), and its row goes once
/// that is done. User states are sealed, so only the user grain can read them; the list is what SQL can know. Rows
/// only go, so a restart resumes where the last run stopped, and a finished import costs one empty query per start.
/// Running on every silo at once is harmless: a user asked twice finds nothing left the second time.
/// </summary>
public sealed class LegacyUserStateImport(NpgsqlDataSource dataSource, IGrainFactory grains)
{
    private const int Batch = 200;

    /// <summary>Imports every user still listed; returns how many users had fields to move.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var moved = 0;
        var after = "";
        while (await dataSource.ReadStringsAsync(
            "SELECT user_id FROM legacy_user_state_imports WHERE user_id > $1 ORDER BY user_id LIMIT $2", after, Batch) is { Count: > 0 } batch)
        {
            foreach (var userId in batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (await grains.GetGrain<IUserLegacyImport>(userId).ImportLegacy())
                {
                    moved++;
                }

                await using var done = dataSource.CreateCommand("DELETE FROM legacy_user_state_imports WHERE user_id = $1");
                done.Parameters.Add(new() { Value = userId });
                await done.ExecuteNonQueryAsync(cancellationToken);
            }

            after = batch[^1];
        }

        return moved;
    }
}
