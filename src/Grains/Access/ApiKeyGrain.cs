using MeiLing.Grains.Merchants;
using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Access;

internal sealed class ApiKeyGrain(
    [PersistentState("api-key", StorageNames.Default)] IPersistentState<ApiKeyState> state,
    ClusterFacts facts) : Grain, IApiKeyGrain
{
    async Task IApiKeyGrain.Issue(ApiKeyGrant grant)
    {
        if (state.RecordExists)
        {
            throw DomainException.Conflict("api-key-exists", "This API key was already issued.");
        }

        state.State.Grant(grant);
        await state.WriteStateAsync();
    }

    async Task<ApiKeyGrant?> IApiKeyGrain.Resolve()
    {
        if (!state.RecordExists)
        {
            // P4.4: a guessed key must not keep an activation alive for the idle-collection age; the
            // next lookup of the same hash reads storage again, which the API's per-address limits bound.
            DeactivateOnIdle();
            return null;
        }

        var grant = state.State.ToGrant();
        return StaffKeys.NeedsItsMerchant(grant) && StaffKeys.EndedWith(await GrainFactory.GetGrain<IMerchantGrain>(grant.SubjectId).Get())
            ? null
            : grant;
    }

    async Task IApiKeyGrain.Revoke()
    {
        await state.ClearStateAsync();
        // Every silo's copy goes before the revoke answers: an off-boarded cashier's next request is refused.
        await facts.ForgetEverywhereAsync(CachedFact.ApiKeyGrant(this.GetPrimaryKeyString()));
        DeactivateOnIdle();
    }
}
