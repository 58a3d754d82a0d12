using MeiLing.Grains.Consents;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Users;
using Microsoft.Extensions.Logging;

namespace MeiLing.Grains.Activity;

// Holds nothing between calls, which wait on PostgreSQL: one call at a time per worker (a worker per core) would queue
// every caller behind the slowest query on the silo.
[StatelessWorker]
[Reentrant]
internal sealed partial class ActivityLogGrain(ActivityLogStore store, ILogger<ActivityLogGrain> logger) : Grain, IActivityLogGrain
{
    private const int MaxShown = 1000;

    // P1.10: what the log is kept on (the store writes it as each row's basis), asked of each user's gate as such.
    private static readonly ProcessingRequest Recording = ProcessingRequest.Under("record-activity", LawfulBasis.ServiceSecurity);

    private static readonly TimeSpan GateAnswersWithin = TimeSpan.FromSeconds(5);

    // P5.1: the gate's refusals for want of a guardian's consent (awaited, or withdrawn).
    private static readonly HashSet<string> WithoutGuardianConsent = new(StringComparer.Ordinal)
    {
        "guardian-confirmation-pending",
        "guardian-consent-withdrawn",
    };

    async Task IActivityLogGrain.Append(IReadOnlyList<ActivityEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var kept = await WithGuardianConsentAsync(entries);
        if (kept.Count > 0)
        {
            await store.AppendAsync(kept);
        }
    }

    Task<IReadOnlyList<ActivityEntry>> IActivityLogGrain.GetUserActivity(string userId, int limit) =>
        store.ListAsync(userId, Math.Clamp(limit, 1, MaxShown));

    Task<ActivityPage> IActivityLogGrain.GetUserActivityPage(string userId, ActivityPageStart? from, int limit) =>
        store.PageAsync(userId, from, Math.Clamp(limit, 1, MaxShown));

    Task<ActivityPage> IActivityLogGrain.GetUserActivityPageForSupport(string userId, ActivityPageStart? from, int limit) =>
        store.PageAsync(userId, from, Math.Clamp(limit, 1, MaxShown), SupportMasking.ShownToSupport);

    // P5.1, P1.3: a child awaiting their guardian's confirmation, or whose guardian withdrew (while support's cancellation
    // awaits the child's word the account is not yet closing), may be signed in, and every request of theirs was logged
    // (address, browser, language, system, path, search) though the gate refuses every processing of them, and stayed once
    // the guardian confirmed. The gate is asked here, once per user of the batch, not per request: a flush is one call for
    // up to thousands of requests, and the API hosts of either topology (and of the previous release) flush through here.
    private async Task<IReadOnlyList<ActivityEntry>> WithGuardianConsentAsync(IReadOnlyList<ActivityEntry> entries)
    {
        var users = entries.Select(entry => entry.UserId).Distinct(StringComparer.Ordinal).ToList();
        var answers = await Task.WhenAll(users.Select(MayRecordAsync));
        var refused = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < users.Count; i++)
        {
            if (!answers[i])
            {
                refused.Add(users[i]);
            }
        }

        return refused.Count == 0 ? entries : [.. entries.Where(entry => !refused.Contains(entry.UserId))];
    }

    private async Task<bool> MayRecordAsync(string userId)
    {
        try
        {
            // Bounded: a user's grain held by a long call of its own would hold everyone's entries of the flush with it, up to
            // the call timeout, which the flush's own call to here reaches at the same moment, losing the whole batch.
            await GrainFactory.GetGrain<IUserConsentGate>(userId).AuthorizeProcessing(Recording).WaitAsync(GateAnswersWithin);
            return true;
        }
        catch (DomainException refusal) when (WithoutGuardianConsent.Contains(refusal.Code))
        {
            return false;
        }
        catch (DomainException)
        {
            // Refused for another reason, the entries go on to the store as they did before this check: an account gone has no
            // key there and they are dropped (P4.1); a closing account's and one awaiting a new policy's acceptance are
            // decided as they were (the log's basis, service security, needs no consent: P1.10).
            return true;
        }
        catch (Exception unasked)
        {
            // P5.1: a gate that could not be asked costs the user's entries of this flush, as a session the API host could
            // not check costs its request's entry; recorded without it, a child's could pass.
            LogGateNotAsked(unasked.GetType().Name);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A user's activity entries of a flush were dropped: their consent gate could not be asked ({Reason})")]
    private partial void LogGateNotAsked(string reason);
}
