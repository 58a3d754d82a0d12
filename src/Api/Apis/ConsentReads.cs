using System.Text.Json;
using MeiLing.Api.Security;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace MeiLing.Api.Apis;

/// <summary>
/// Where a user's consents stand, for <c>GET /v1/users/{userId}/consents</c>. An API co-hosted with the silo where the
/// user's grain is activated reads the view that grain published (<see cref="IActivatedUserViews"/>), checking the
/// caller's session against it as the grain would: no grain call, so none of its trips through the thread pool
/// (docs/performance.md). Anywhere else, the user's grain answers.
/// </summary>
public sealed class ConsentReads(IGrainFactory grains, IOptions<JsonOptions> json, IActivatedUserViews? views = null)
{
    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;

    public async ValueTask<IReadOnlyList<ConsentStatus>> ReadAsync(string userId) =>
        ViewFor(userId)?.Consents ?? await grains.GetResolvedGrain<IUserConsents>(userId).GetConsents();

    /// <summary>
    /// The answer of the route, serialized. From a view it is serialized once per view, on its first read, and every
    /// later read until the consents change sends the same bytes (docs/performance.md, nineteenth round).
    /// </summary>
    public async ValueTask<RenderedJson<ItemPage<ConsentStatus>>> AnswerAsync(string userId)
    {
        if (ViewFor(userId) is { } view)
        {
            return view.RenderedBy(_json, static (json, consents) => Render(consents, json));
        }

        return Render(await grains.GetResolvedGrain<IUserConsents>(userId).GetConsents(), _json);
    }

    private static RenderedJson<ItemPage<ConsentStatus>> Render(IReadOnlyList<ConsentStatus> consents, JsonSerializerOptions json)
    {
        var page = ItemPage.Last(consents);
        return new(page, JsonSerializer.SerializeToUtf8Bytes(page, json));
    }

    private ActivatedUserView? ViewFor(string userId) =>
        views?.Find(userId) is { } view && SessionAllows(view, userId) ? view : null;

    /// <summary>
    /// True when the request carries no session left to check, or carries this user's and it is current; an ended one is
    /// refused as the grain refuses it (401, P4.4). Another user's session is left to the grain's own check.
    /// </summary>
    private static bool SessionAllows(ActivatedUserView view, string userId)
    {
        if (UserSessionCheck.Current is not { Verified: false } session)
        {
            return true;
        }

        if (session.UserId != userId)
        {
            return false;
        }

        if (!view.IsSessionCurrent(session.Generation, session.SessionId))
        {
            throw SessionContext.Ended();
        }

        session.MarkVerified();
        return true;
    }
}
