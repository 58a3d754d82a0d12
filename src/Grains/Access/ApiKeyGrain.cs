using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Access;

internal sealed class ApiKeyGrain(
    [PersistentState("api-key", StorageNames.Default)] IPersistentState<ApiKeyState> state) : Grain, IApiKeyGrain
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

    Task<ApiKeyGrant?> IApiKeyGrain.Resolve() =>
        Task.FromResult(state.RecordExists ? state.State.ToGrant() : null);

    async Task IApiKeyGrain.Revoke()
    {
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }
}
