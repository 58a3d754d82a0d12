using MeiLing.Grains.Merchants;
using MeiLing.Grains.Platform;
using Microsoft.Extensions.Logging;

namespace MeiLing.Grains.Access;

internal sealed partial class ApiKeyGrain(
    [PersistentState("api-key", StorageNames.Default)] IPersistentState<ApiKeyState> state,
    ClusterFacts facts,
    SiloFacts merchants,
    TimeProvider clock,
    ILogger<ApiKeyGrain> logger) : Grain, IApiKeyGrain
{
    // Whether this activation has made sure the merchant lists the staff member this key names.
    private bool _knownToItsMerchant;

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
        if (!ClosedMerchantKeys.NeedsItsMerchant(grant))
        {
            return grant;
        }

        // The silo's copy of the merchant, forgotten on every silo when it changes: no grain call per request of the
        // merchant's own key.
        if (ClosedMerchantKeys.EndedWith(await merchants.MerchantAsync(grant.SubjectId), clock.GetUtcNow()))
        {
            return null;
        }

        if (grant.StaffId is not null && !_knownToItsMerchant)
        {
            await MakeKnownToItsMerchantAsync(GrainFactory.GetGrain<IMerchantGrain>(grant.SubjectId), grant.StaffId);
        }

        return grant;
    }

    // P4.4: a key enrolled before merchants listed their staff (a manager's own, perhaps) is named on the list at its first
    // use in each activation, so the merchant key can find and offboard it; silos cache the grant for a minute, so every key
    // in use is asked about within a minute of the upgrade. Never at the cost of the key working: while the merchant's
    // grain lives on a silo of the previous release, which lacks the method, it is asked again at the next resolution.
    private async Task MakeKnownToItsMerchantAsync(IMerchantGrain merchant, string staffId)
    {
        try
        {
            await merchant.ListStaffInUse(staffId);
            _knownToItsMerchant = true;
        }
        catch (Exception failed)
        {
            LogNotListed(staffId, failed.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Staff member {StaffId} could not be listed with their merchant ({Reason}); asked again at the key's next resolution")]
    private partial void LogNotListed(string staffId, string reason);

    async Task IApiKeyGrain.Revoke()
    {
        await state.ClearStateAsync();
        // Every silo's copy goes before the revoke answers: an off-boarded cashier's next request is refused.
        await facts.ForgetEverywhereAsync(CachedFact.ApiKeyGrant(this.GetPrimaryKeyString()));
        DeactivateOnIdle();
    }
}
