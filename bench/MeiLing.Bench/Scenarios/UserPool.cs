using MeiLing.Bench.Http;

namespace MeiLing.Bench.Scenarios;

/// <summary>A signed-in user of the pool.</summary>
public sealed record PoolUser(string UserId, string Phone, string Password, string Token);

/// <summary>
/// Users registered and signed in during setup, shared by the per-user scenarios. Each worker owns a
/// disjoint slice (users w, w+N, w+2N, …), so no two workers ever queue on the same user's grain: the
/// figures measure the system, not contention the harness made up.
/// </summary>
public sealed class UserPool(IReadOnlyList<PoolUser> users)
{
    private const int SetupParallelism = 8;

    public IReadOnlyList<PoolUser> Users { get; } = users;

    public int Count => Users.Count;

    /// <summary>The worker's next user, cycling through its own slice.</summary>
    public PoolUser For(WorkerContext worker)
    {
        var slice = (Count - worker.Index + worker.Concurrency - 1) / worker.Concurrency;
        return Users[worker.Index + (worker.Concurrency * (int)(worker.Sequence % slice))];
    }

    public static async Task<UserPool> CreateAsync(ApiClient api, int count, CancellationToken cancellationToken)
    {
        var password = $"bench-{Guid.NewGuid():N}"[..20];
        var users = new PoolUser[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var random = new Random(Random.Shared.Next());
                while (true)
                {
                    var phone = Phones.Next(random);
                    if (await api.TryRegisterAsync(new RegisterUserBody(phone, password, $"bench-{i}"), ct) is { } registered)
                    {
                        var session = await api.SignInAsync(phone, password, ct);
                        users[i] = new PoolUser(registered.UserId, phone, password, session.Token);
                        return;
                    }
                }
            });
        return new UserPool(users);
    }
}
