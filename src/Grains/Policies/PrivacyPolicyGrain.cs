using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Policies;

internal sealed class PrivacyPolicyGrain(
    [PersistentState("privacy-policy", StorageNames.Default)] IPersistentState<PrivacyPolicyState> state,
    ClusterFacts facts,
    TimeProvider clock) : Grain, IPrivacyPolicyGrain
{
    // P6.1: versions are published, never rewritten; users' consents name the version they were given under.
    async Task<PolicyVersion> IPrivacyPolicyGrain.Publish(PublishPolicyVersion command)
    {
        if (state.State.HasVersion(command.Version))
        {
            throw DomainException.Conflict("policy-version-exists", $"Policy version '{command.Version}' is already published.");
        }

        var published = state.State.Publish(command, clock.GetUtcNow());
        try
        {
            // P6.1 (*reviewer*): a write that failed left the version in memory: served to registrations and consents as
            // current, the operator's retry 409, and gone at the next activation, with every acceptance of it then unknown.
            // The state is read back (or the activation let go), so the operator's retry publishes it.
            await state.WriteOrForgetAsync(this);
        }
        finally
        {
            // A rights-reducing version changes every earlier version's standing: no silo may answer from the old one. Even
            // after a write that failed: it may have committed all the same, as the state read back then says.
            await facts.ForgetEverywhereAsync(CachedFact.PolicyStandings);
        }

        return published.ToView();
    }

    Task<PolicyVersion?> IPrivacyPolicyGrain.GetCurrent() => Task.FromResult(state.State.CurrentVersion()?.ToView());

    Task<PolicyStanding> IPrivacyPolicyGrain.GetStanding(string? version) => Task.FromResult(state.State.StandingOf(version));

    Task<PolicyVersion?> IPrivacyPolicyGrain.GetVersion(string version) =>
        Task.FromResult(state.State.Versions.FirstOrDefault(published => published.Version == version)?.ToView());

    Task<IReadOnlyList<PolicyVersion>> IPrivacyPolicyGrain.GetVersions() =>
        Task.FromResult<IReadOnlyList<PolicyVersion>>([.. state.State.Versions.Select(v => v.ToView())]);

    // Anyone may read the list, anonymously: a page, so one request never carries every version there is (P4.4).
    Task<IReadOnlyList<PolicyVersion>> IPrivacyPolicyGrain.GetVersionsPage(int skip, int take) =>
        Task.FromResult<IReadOnlyList<PolicyVersion>>([.. state.State.Versions
            .Skip(Math.Max(skip, 0)).Take(Math.Clamp(take, 1, IPrivacyPolicyGrain.MaxPageSize) + 1).Select(v => v.ToView())]);
}
