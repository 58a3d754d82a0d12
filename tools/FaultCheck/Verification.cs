namespace MeiLing.FaultCheck;

/// <summary>Reads every acknowledged write back through the API; an answer it cannot get is retried, not guessed.</summary>
public static class Verification
{
    private const int Parallelism = 8;
    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(60);

    public static async Task<IReadOnlyDictionary<WriteRecord, ReadBack>> ReadBackAsync(
        PlatformClient client, string supportKey, IEnumerable<WriteRecord> acknowledged, CancellationToken cancellationToken)
    {
        var results = new System.Collections.Concurrent.ConcurrentDictionary<WriteRecord, ReadBack>();
        var deadline = DateTimeOffset.UtcNow + RetryFor;
        await Parallel.ForEachAsync(
            acknowledged,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (write, token) =>
            {
                var read = await client.ReadAsync(write, supportKey, token);
                while (read.Status == ReadStatus.Unknown && DateTimeOffset.UtcNow < deadline)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), token);
                    read = await client.ReadAsync(write, supportKey, token);
                }

                results[write] = read;
            });
        return results;
    }
}
