using MeiLing.Api.Apis;
using MeiLing.Api.Consoles;
using MeiLing.Api.Security;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Policies;
using MeiLing.Grains.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace MeiLing.Api.Pages.Privacy;

/// <summary>The user's consents with what each is for and its receipts (a withdrawal's with the parties told of it), and the disclosure ledger, through the API's handlers.</summary>
[Authorize(Policy = AuthorizationPolicies.User)]
// P4.4: each view opens a page of up to a thousand sealed disclosures, as GET /v1/users/{userId}/disclosures does, so it
// spends the same bucket of heavy reads; a page on a sibling host could otherwise loop it in the user's browser.
[EnableRateLimiting(RateLimits.HeavyReadsPolicy)]
public sealed class IndexModel(IClusterClient cluster, ConsentReads consents) : ConsolePageModel(cluster)
{
    public UserProfile? Profile { get; private set; }

    public IReadOnlyList<ConsentStatus> Consents { get; private set; } = [];

    public ConsentReceiptsShown Receipts { get; private set; } = ConsentReceiptsShown.None;

    public IReadOnlyList<DisclosureRecord> Disclosures { get; private set; } = [];

    /// <summary>Where the ledger's page starts (the API's cursor), from the "older" link; the newest page without it.</summary>
    [BindProperty(SupportsGet = true)]
    public string? DisclosuresBefore { get; set; }

    /// <summary>The cursor of the ledger's next, older page; null on its last.</summary>
    public string? OlderDisclosures { get; private set; }

    private string UserId => User.SubjectId()!;

    public async Task OnGetAsync() => await LoadAsync();

    /// <summary>
    /// The policy shown for acceptance with every choice, when the user has accepted none yet (registered before the first
    /// was published) or a version published since reduced their rights (P6.1): a choice then accepts it, and the page says so.
    /// </summary>
    public PolicyVersion? PolicyToAccept { get; private set; }

    /// <summary>
    /// Grants or withdraws one purpose under the policy version the user accepted; one who accepted none names the version
    /// the page showed them (<paramref name="policyVersion"/>), which the choice accepts.
    /// </summary>
    public async Task<IActionResult> OnPostConsentAsync([FromForm] string? purpose, [FromForm] bool? granted, [FromForm] string? policyVersion)
    {
        // P1.2: a form without a choice the binder could read changes nothing. Bound as a plain bool it was false, a
        // withdrawal: for location, every sample erased, where the API's route answers 400.
        if (granted is null)
        {
            return Refused("请选择同意或撤回。Choose to grant or to withdraw.");
        }

        // P6.1 (*reviewer*): a user who had accepted no version had the current one named for them, unseen, a
        // rights-reducing one included, and any click (a withdrawal too) accepted it. The version is the one the page showed.
        // P6.1 (*reviewer*): one whose accepted version a rights-reducing one has overtaken names the version shown too:
        // under the old one, every choice was receipted under a version that no longer lets anything be processed, and the
        // privacy center had no way to accept the new one.
        // P1.2 (*reviewer*): a withdrawal accepts nothing: it is receipted under the version the user accepted, whatever the page
        // showed; named under a rights-reducing one, it accepted that version and let every other processing go on.
        var profile = ApiAnswer.Of<UserProfile>(await UsersApi.GetProfile(UserId, User, Cluster)).Value;
        var chosenUnder = profile?.AcceptedPolicyVersion is { } accepted && (!granted.Value || await StillSatisfiesAsync(accepted))
            ? accepted
            : policyVersion;
        if (chosenUnder is not { Length: > 0 } version)
        {
            return Refused("请先阅读隐私政策。Read the privacy policy shown with your choices first.");
        }

        if (await AttemptAsync(async () =>
            {
                if (Accept(ApiAnswer.Of<ConsentReceiptBody>(await UsersApi.SetConsent(UserId, purpose ?? "", new SetConsentRequest(granted.Value, version), User, Cluster)), out var receipt))
                {
                    Notice = $"{(granted.Value ? "已同意" : "已撤回")} · 凭证 receipt {receipt.ReceiptId}";
                }
            }) && Error is null)
        {
            return Redirect(ConsolePaths.Privacy);
        }

        return Refused(Error!);
    }

    // P4.4: a refused form goes back to the page's GET, which spends the heavy reads' bucket, rather than rendering the
    // page's thousand disclosures and hundred receipts itself: a post is not in that bucket (a withdrawal is never held up
    // by reads), so a script posting a form the API refuses read the whole page at the user's rate of 5,000 a second.
    private RedirectResult Refused(string error)
    {
        Refusal = error;
        return Redirect(ConsolePaths.Privacy);
    }

    // Whether the user's accepted version still lets their data be processed: none accepted, or one a rights-reducing
    // version published since has overtaken, does not.
    private async Task<bool> StillSatisfiesAsync(string? acceptedVersion) =>
        acceptedVersion is not null
        && (await Cluster.GetGrain<IPrivacyPolicyGrain>(IPrivacyPolicyGrain.PlatformPolicyKey).GetStanding(acceptedVersion)).Satisfies;

    private async Task LoadAsync()
    {
        Profile = ApiAnswer.Of<UserProfile>(await UsersApi.GetProfile(UserId, User, Cluster)).Value;
        PolicyToAccept = Profile is not null && !await StillSatisfiesAsync(Profile.AcceptedPolicyVersion)
            ? await Cluster.GetGrain<IPrivacyPolicyGrain>(IPrivacyPolicyGrain.PlatformPolicyKey).GetCurrent()
            : null;
        Consents = ApiAnswer.Of<ItemPage<ConsentStatus>>(await UsersApi.GetConsents(UserId, User, consents)).Value?.Items ?? [];
        Receipts = await ConsentReceiptsShown.LoadAsync(Cluster, UserId);
        var ledger = ApiAnswer.Of<ItemPage<DisclosureRecord>>(await UsersApi.GetDisclosures(UserId, User, Cluster, limit: null, cursor: DisclosuresBefore)).Value;
        Disclosures = ledger?.Items ?? [];
        OlderDisclosures = ledger?.NextCursor;
    }
}
