using MeiLing.Bench.Http;

namespace MeiLing.Bench.Scenarios;

/// <summary>A user of the pool: signed in, or, as a customer that is only ordered for, registered with no <see cref="Token"/> ("").</summary>
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

    public static async Task<UserPool> CreateAsync(ApiClient api, int count, CancellationToken cancellationToken, bool signIn = true)
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
                        var token = signIn ? (await api.SignInAsync(phone, password, ct)).Token : "";
                        users[i] = new PoolUser(registered.UserId, phone, password, token);
                        return;
                    }
                }
            });
        return new UserPool(users);
    }
}
