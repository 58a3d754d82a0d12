using MeiLing.Api.Apis;
using MeiLing.Api.Consoles;
using MeiLing.Api.Security;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Platform;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace MeiLing.Api.Pages.Console;

/// <summary>
/// A merchant as an operator watches it close (P4.3): its status and notice, and an erasure that stopped making progress
/// (<see cref="MerchantErasureStall"/>: since when, the next attempt, the order ids still naming a user, cards left), read
/// through <c>GET /v1/merchants/{merchantId}</c>'s handler. Operators only: support, like a merchant's staff, never reads
/// a merchant here (the API's route answers support 403 too). Ids only, no user data.
/// </summary>
[Authorize(Policy = AuthorizationPolicies.Operator)]
public sealed class MerchantModel(IClusterClient cluster, TimeProvider clock) : ConsolePageModel(cluster)
{
    [BindProperty(SupportsGet = true)]
    public string? MerchantId { get; set; }

    public MerchantView? View { get; private set; }

    public DateTimeOffset Now { get; } = clock.GetUtcNow();

    public async Task<IActionResult> OnGetAsync()
    {
        var id = MerchantId?.Trim();
        if (!EntityId.IsWellFormed(id, EntityId.MerchantPrefix))
        {
            return id is null ? Redirect(ConsolePaths.Console) : NotFound();
        }

        // The look-up box sends ?merchantId=: the page's address names the merchant, as the request page's does.
        if (RouteData.Values["merchantId"] is null)
        {
            return Redirect($"/console/merchants/{id}");
        }

        if (!Accept(ApiAnswer.Of<MerchantView>(await MerchantsApi.GetMerchant(id!, Cluster)), out var merchant))
        {
            return NotFound();
        }

        View = merchant;
        return Page();
    }
}
