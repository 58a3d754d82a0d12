using MeiLing.Grains.Access;
using MeiLing.Grains.Catalogue;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Policies;

namespace MeiLing.Grains.Platform;

/// <summary>
/// The facts read on nearly every request and changed rarely, kept on this silo so a request needs no grain call for
/// them: what an API key stands for (every merchant and staff request), the merchant an order or a card is with,
/// where the user's accepted policy version stands (every processing gate), and the prices of a merchant's catalogue
/// (every order). The grain that changes one has it
/// forgotten on every silo before it answers (<see cref="ClusterFacts"/>), so a revoked key, a closing merchant or a
/// newly published policy version is seen at once; <see cref="Lifetime"/> bounds what a silo that missed it can serve.
/// </summary>
public sealed class SiloFacts(IGrainFactory grains, TimeProvider clock)
{
    /// <summary>How long a copy is served without asking its grain again, should a forget not have reached this silo.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly FactCache<ApiKeyGrant> _apiKeyGrants = new(clock, Lifetime, capacity: 100_000);
    private readonly FactCache<MerchantView> _merchants = new(clock, Lifetime, capacity: 100_000);
    private readonly PolicyStandings _policyStandings = new(clock);

    // Each copy holds at most PriceList.MaxProducts products, so the bound keeps a silo's copies under a few hundred MB
    // even if every one were a full catalogue; the live set is the merchants selling in the last minute.
    private readonly FactCache<CataloguePrices> _cataloguePrices = new(clock, Lifetime, capacity: 2_000);

    // Made once: GetGrain resolves the grain type by reflection on every call, and every processing gate asks here.
    private IPrivacyPolicyGrain? _platformPolicy;

    public ValueTask<ApiKeyGrant?> ApiKeyGrantAsync(string keyHash) =>
        _apiKeyGrants.GetOrLoadAsync(keyHash, () => grains.GetGrain<IApiKeyGrain>(keyHash).Resolve());

    public ValueTask<MerchantView?> MerchantAsync(string merchantId) =>
        _merchants.GetOrLoadAsync(merchantId, () => grains.GetGrain<IMerchantGrain>(merchantId).Get());

    /// <summary>Where <paramref name="version"/> stands (null: no version accepted yet), with the current version.</summary>
    public ValueTask<PolicyStanding> PolicyStandingAsync(string? version) =>
        _policyStandings.OfAsync(version, _platformPolicy ??= grains.GetGrain<IPrivacyPolicyGrain>(IPrivacyPolicyGrain.PlatformPolicyKey));

    /// <summary>
    /// Prices <paramref name="items"/> from the merchant's catalogue (<see cref="CatalogueQuoting"/>): from this silo's copy
    /// of its prices, or by its grain when the catalogue is too large to copy.
    /// </summary>
    public async ValueTask<OrderQuote> QuoteAsync(string merchantId, IReadOnlyList<Orders.OrderItem> items)
    {
        var prices = await _cataloguePrices.GetOrLoadAsync(merchantId, async () => CataloguePrices.Of(await Catalogue(merchantId).GetPriceList()));
        return prices?.Products is { } products ? CatalogueQuoting.Quote(products, items) : await Catalogue(merchantId).Quote(items);
    }

    // Built only when the catalogue is asked: an order quoted from the copy needs no reference.
    private ICatalogueGrain Catalogue(string merchantId) => grains.GetResolvedGrain<ICatalogueGrain>(merchantId);

    public void Forget(CachedFact fact)
    {
        switch (fact.Kind)
        {
            case CachedFactKind.ApiKeyGrant:
                _apiKeyGrants.Forget(fact.Key);
                break;
            case CachedFactKind.Merchant:
                _merchants.Forget(fact.Key);
                break;
            case CachedFactKind.PolicyStandings:
                _policyStandings.ForgetAll();
                break;
            case CachedFactKind.CataloguePrices:
                _cataloguePrices.Forget(fact.Key);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fact), fact.Kind, "Unknown kind of fact.");
        }
    }
}
