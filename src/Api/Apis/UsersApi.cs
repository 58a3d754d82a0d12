using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using MeiLing.Api.Audit;
using MeiLing.Api.Security;
using MeiLing.Api.Validation;
using MeiLing.Grains.Activity;
using MeiLing.Grains.Audit;
using MeiLing.Grains.Consents;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Notifications;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Users;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>Users: registration, profile, consents, location and activity. The user grain decides; this maps HTTP.</summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/users").WithTags("Users");

        group.MapPost("/", Register).AllowAnonymous().RequireRateLimiting(RateLimits.CredentialsPolicy).AddEndpointFilter<WrongCodeFilter>()
            .WithName("RegisterUser").WithSummary("Register with a mainland mobile number, the register code texted to it, and a password (P1.1, P4.4); under 14, the guardian confirms with a code of their own (P5.1). `policyVersion`, the version the app showed, is the one recorded as accepted (a later one waits for its own acceptance; unknown: 400); without it, the current version (P6.1).")
            .WithDescription("One network (an IPv4 address, or an IPv6 /48) presents at most 100 wrong codes a day here, password resets and guardians' withdrawals together (MEILING_RATE_LIMIT_WRONG_CODES_PER_DAY); past them 429 too-many-wrong-codes with Retry-After, the code unexamined.");
        group.MapPost("/{userId:id}/password", ChangePassword).ForCaller(CallerScope.TheUser)
            .WithName("ChangePassword").WithSummary("Change the password with the current one (P4.4): every other session ends; this one continues under the fresh token in X-Session-Token (and the session cookie). At most 5 changes a day, then 429 quota-exceeded with Retry-After.");
        group.MapPost("/{userId:id}/guardian-withdrawal", WithdrawGuardianConsent).AllowAnonymous().RequireRateLimiting(RateLimits.CodesPolicy)
            .AddEndpointFilter<WrongCodeFilter>()
            .WithName("WithdrawGuardianConsent")
            .WithSummary("The guardian of a child under 14 withdraws consent with a guardian-withdrawal code texted to the guardian's number (no session needed; a guardian-consent code, the one handed on to confirm, does not do): the child's account is cancelled, the whole erasure (P5.1, P4.1). 202 with the cancellation and its followUpCode, which the guardian follows it with at POST /v1/requests/{requestId}/follow-up once the account is gone (P8.1); a cancellation already under way answers as it is, without. Any failure is 400 verification-failed; a network past its day of wrong codes (100, with registration and password resets) is 429 too-many-wrong-codes, the code unexamined.");
        group.MapPost("/{userId:id}/guardian-confirmation", ConfirmGuardian).ForCaller(CallerScope.TheUser).AddEndpointFilter<CallerWrongCodeFilter>()
            .WithName("ConfirmGuardian").WithSummary("The guardian of a child under 14 confirms with the code texted to the guardian's number: the account leaves pending-guardian (P5.1).")
            .WithDescription("Within 7 days of the registration; after them 409 `guardian-deadline-passed`, and the account's erasure is filed (as the deadline files it), whatever code is given. A child presents at most 20 wrong codes a day, across codes (MEILING_RATE_LIMIT_WRONG_CODES_PER_CALLER_PER_DAY); past them 429 too-many-wrong-codes with Retry-After, the code unexamined.");
        group.MapGet("/{userId:id}", GetProfile).ForCaller(CallerScope.TheUserOrSupport)
            .WithName("GetUser").WithSummary("The user's profile; never a password or its hash. Support reads the phone masked and no birth date (P1.7).");
        group.MapPatch("/{userId:id}", CorrectProfile).ForCaller(CallerScope.TheUser)
            .WithName("CorrectUser").WithSummary("Correct profile fields. At most 50 corrections that change something a day (P4.4), then 429 quota-exceeded with Retry-After, nothing changed; one that changes nothing is answered as it stands and counts nothing.");

        group.MapGet("/{userId:id}/consents", GetConsents).ForCaller(CallerScope.TheUserOrSupport)
            .WithName("GetConsents").WithSummary("Where each purpose stands now.");
        // P4.4 (*reviewer*): a page is up to 500 receipts read from the database, and a copied session read them at its
        // whole rate; it is a heavy read, as the disclosures, locations and activity are.
        group.MapGet("/{userId:id}/consents/history", GetConsentHistory).ForCaller(CallerScope.TheUserOrSupport).RequireRateLimiting(RateLimits.HeavyReadsPolicy)
            .WithName("GetConsentHistory").WithSummary("The user's consent receipts, oldest first, a page at a time (limit 1-500, default 500; cursor); at MEILING_RATE_LIMIT_HEAVY_READS_PER_SECOND, then 429 (P4.4).");
        group.MapPut("/{userId:id}/consents/{purpose}", SetConsent).ForCaller(CallerScope.TheUser)
            .WithName("SetConsent").WithSummary("Grant or withdraw one purpose; returns the receipt. A withdrawal applies at once.");

        group.MapPost("/{userId:id}/locations", RecordLocation).ForCaller(CallerScope.TheUser)
            .WithName("RecordLocation").WithSummary("Store a location sample; 403 consent-required unless location is granted (P1.2); at most 60 a minute per user (MEILING_LOCATION_SAMPLES_PER_MINUTE), then 429 quota-exceeded (P4.4).");
        group.MapGet("/{userId:id}/locations", GetLocations).ForCaller(CallerScope.TheUserOrSupport).RequireRateLimiting(RateLimits.HeavyReadsPolicy)
            .WithName("GetLocations").WithSummary("The location samples held (P1.2), newest first, a page at a time (limit 1-1000, default 1000; cursor): nextCursor is null only on the last page, and a cursor not given out is 400. Support reads them coarsened to 0.1° and the hour, samples of a page that coarsen alike once, each page whole hours whatever its limit, its cursor sealed: a cursor support was not given is 400 (P1.7, P4.4).");
        group.MapGet("/{userId:id}/activity", GetActivity).ForCaller(CallerScope.TheUserOrSupport.ThatExists()).RequireRateLimiting(RateLimits.HeavyReadsPolicy)
            .WithName("GetActivity").WithSummary("The user's activity log (P1.3), a page at a time (limit 1-1000, default 100; cursor): nextCursor is null only on the last page, and a cursor not given out is 400. Newest flush of the log first and each page newest first (an entry may be older than one on the next page, as flushes overlap); a request repeated within half a second or so is one entry with its count (`requests`) and its last time (`until`). Support reads the IP's network only, no user agent or search terms, and none of the location routes' entries, with a sealed cursor (P1.7, P4.4, A.2).");
        // The user's own: support reads a user's data under audit, but not the audit of who else did (staff privacy).
        group.MapGet("/{userId:id}/access-log", GetAccessLog).ForCaller(CallerScope.TheUser).RequireRateLimiting(RateLimits.HeavyReadsPolicy)
            .WithName("GetAccessLog").WithSummary("Who at the platform looked at or acted on the user's data (P1.7, P1.3): the audit entries about them, newest first, a page at a time (limit 1-100, default 50; cursor). Each: at, actorRole (support, operator, user, guardian, merchant or system), actor (for staff a pseudonym, the same person the same in this user's log only; never their id, name or key), action (a support call's method and route, or an event such as password:changed or access:received) and the user's own requestId, ticketId, orderId or receiptId it was for, where known; never another user's data. A legal demand the user may not be told of is left out (P3.3). The user alone: another user's id is 404, support, operators and merchants 403. A cursor not given out by this list for this user is 400 naming cursor. Spends the caller's heavy reads (MEILING_RATE_LIMIT_HEAVY_READS_PER_SECOND; 429 past them).");

        // P4.4 (*reviewer*): each page opens its sealed rows and rewrites any the user had before pseudonyms; at a caller's
        // whole rate a loop on it did that 5,000 times a second. A heavy read, as the other sealed listings are.
        group.MapGet("/{userId:id}/orders", GetOrders).ForCaller(CallerScope.TheUserOrSupport.ThatExists()).RequireRateLimiting(RateLimits.HeavyReadsPolicy)
            .WithName("ListUserOrders").WithSummary("The user's orders, newest first, a page at a time (support: audited). Spends the caller's heavy reads (MEILING_RATE_LIMIT_HEAVY_READS_PER_SECOND; 429 past them).");
        group.MapGet("/{userId:id}/disclosures", GetDisclosures).ForCaller(CallerScope.TheUserOrSupport).RequireRateLimiting(RateLimits.HeavyReadsPolicy)
            .WithName("ListDisclosures").WithSummary("Every hand-over of the user's data to a party outside the platform (P3.1), newest first, a page at a time (limit 1-1000, default 1000; cursor): nextCursor is null only on the last page.");
        group.MapGet("/{userId:id}/addresses", GetAddresses).ForCaller(CallerScope.TheUserOrSupport)
            .WithName("ListAddresses").WithSummary("The user's saved delivery addresses, with the provenance of imported ones.");
        group.MapPost("/{userId:id}/addresses/imports", ImportAddresses).ForCaller(CallerScope.TheUser)
            .WithName("ImportAddresses").WithSummary("Import addresses from a third party; needs third-party-sources consent and records provenance; withdrawing that consent forgets them (P1.8).");

        // P4.4 (*reviewer*): each read copies the inbox and every published policy version; the privacy center's account
        // page, which reads the same, is a heavy read, and so is the route.
        group.MapGet("/{userId:id}/notifications", GetNotifications).ForCaller(CallerScope.TheUserOrSupport.ThatExists()).RequireRateLimiting(RateLimits.HeavyReadsPolicy)
            .WithName("ListNotifications").WithSummary("Notices to the user, newest first, a page at a time: requests' status changes, guardian confirmation, password changes, merchants closing (P4.3), new policy versions (P6.1). Support reads mobile numbers in them masked (P1.7). A heavy read (MEILING_RATE_LIMIT_HEAVY_READS_PER_SECOND, then 429).");

        return group;
    }

    internal static async Task<Results<Ok<ItemPage<NotificationBody>>, NotFound, ValidationProblem>> GetNotifications(
        string userId, ClaimsPrincipal caller, IClusterClient cluster, [Range(1, 200)] int? limit, [StringLength(8)] string? cursor)
    {
        // The list is short (200 kept, plus policy versions): paged by position.
        if (!SkipCursor.TryRead(cursor, out var skip))
        {
            return SkipCursor.Invalid();
        }

        var all = await cluster.GetGrain<IUserNotifications>(userId).GetNotifications();
        var take = limit ?? 50;
        var seen = caller.IsUser(userId) ? all : all.Select(notice => notice.MaskedForSupport());
        var page = seen.Skip(skip).Take(take).Select(NotificationBody.From).ToList();
        return TypedResults.Ok(new ItemPage<NotificationBody>(page, SkipCursor.Next(skip, take, skip + take < all.Count)));
    }

    internal static async Task<Results<NoContent, NotFound>> ChangePassword(
        string userId, ChangePasswordRequest request, ClaimsPrincipal caller, IClusterClient cluster, UserSessions sessions, HttpContext http)
    {
        var signedIn = await cluster.GetGrain<IUserCredentials>(userId).ChangePassword(request.CurrentPassword, request.NewPassword);
        // Every session ended with the old password; the caller's own continues under a fresh token.
        var session = sessions.Issue(signedIn);
        UserSessions.AppendCookie(http, session);
        http.Response.Headers[UserSessions.RenewedTokenHeader] = session.Token;
        return TypedResults.NoContent();
    }

    private static async Task<Accepted<DataRightsRequestView>> WithdrawGuardianConsent(
        string userId, GuardianConfirmationRequest request, IClusterClient cluster)
    {
        var cancellation = await cluster.GetGrain<IUserGuardian>(userId).WithdrawGuardianConsentWith(request.Code());
        return TypedResults.Accepted($"/v1/requests/{cancellation.RequestId}", cancellation);
    }

    private static async Task<Results<Ok<UserProfile>, NotFound>> ConfirmGuardian(
        string userId, GuardianConfirmationRequest request, ClaimsPrincipal caller, IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<IUserGuardian>(userId).ConfirmGuardianWith(request.Code()));

    internal static async Task<Results<Ok<OrderPage>, NotFound>> GetOrders(
        string userId, ClaimsPrincipal caller, IClusterClient cluster, [Range(1, IOrderListingsGrain.MaxPageSize)] int? limit, [StringLength(256), OrderListingCursor] string? cursor) =>
        TypedResults.Ok(await cluster.GetResolvedGrain<IOrderListingsGrain>(0).ByUser(userId, cursor, limit ?? 20));

    internal static async Task<Results<Ok<ItemPage<AccessLogEntry>>, NotFound, ValidationProblem>> GetAccessLog(
        string userId, IClusterClient cluster, IDataProtectionProvider protection, [Range(1, 100)] int? limit, [StringLength(512)] string? cursor)
    {
        long? before = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (!AccessLogCursor.TryRead(protection, userId, cursor, out var position))
            {
                return SkipCursor.Invalid();
            }

            before = position;
        }

        var page = await cluster.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).AccessLog(userId, before, limit ?? 50);
        return TypedResults.Ok(new ItemPage<AccessLogEntry>(
            page.Entries, page.NextBefore is { } next ? AccessLogCursor.Write(protection, userId, next) : null));
    }

    internal static async Task<Results<Ok<ItemPage<DisclosureRecord>>, NotFound, ValidationProblem>> GetDisclosures(
        string userId, ClaimsPrincipal caller, IClusterClient cluster, [Range(1, 1000)] int? limit, [StringLength(20)] string? cursor)
    {
        if (!TryReadBefore(cursor, out var before))
        {
            return SkipCursor.Invalid();
        }

        var page = await cluster.GetGrain<IUserConsentGate>(userId).GetDisclosurePage(before, limit ?? 1000);
        return TypedResults.Ok(new ItemPage<DisclosureRecord>(
            caller.IsUser(userId) ? page.Items : [.. page.Items.Select(record => record.MaskedForSupport())], BeforeCursor(page.NextBefore)));
    }

    // The cursor of a user's hand-overs and location samples is the instant the next page starts before, in ticks: a
    // position in the user's own list, nothing of anyone else's.
    private static bool TryReadBefore(string? cursor, out DateTimeOffset? before)
    {
        before = null;
        if (cursor is null)
        {
            return true;
        }

        if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        before = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    private static string? BeforeCursor(DateTimeOffset? nextBefore) => nextBefore?.UtcTicks.ToString(CultureInfo.InvariantCulture);

    private static async Task<Results<Ok<ItemPage<SavedAddress>>, NotFound>> GetAddresses(string userId, ClaimsPrincipal caller, IClusterClient cluster)
    {
        var addresses = await cluster.GetGrain<IUserProfile>(userId).GetAddresses();
        return TypedResults.Ok(ItemPage.Last(caller.IsUser(userId) ? addresses : [.. addresses.Select(address => address.MaskedForSupport())]));
    }

    private static async Task<Results<Created<ItemPage<SavedAddress>>, NotFound>> ImportAddresses(
        string userId, ImportAddressesRequest request, ClaimsPrincipal caller, IClusterClient cluster)
    {
        var addresses = await cluster.GetGrain<IUserProfile>(userId).ImportAddresses(new ImportAddresses(
            request.Source.Trim(), request.Authorization.Trim(),
            [.. request.Addresses.Select(a => new SavedAddress(a.RecipientName.Trim(), a.Phone, a.Address.Trim(), a.DoorNumber.Trim(), null))]));
        return TypedResults.Created($"/v1/users/{userId}/addresses", ItemPage.Last(addresses));
    }

    internal static async Task<Results<Created<UserRegistered>, ValidationProblem>> Register(
        RegisterUserRequest request, IClusterClient cluster, ApiSettings settings)
    {
        if (!Regions.TryResolve(settings, request.Region, out var region, out var problem))
        {
            return problem!;
        }

        var userId = EntityId.New(EntityId.UserPrefix);
        var guardian = request.GuardianConsent is { } g ? new GuardianConsentGiven(g.GuardianName, g.GuardianPhone, g.Relationship) : null;
        await cluster.GetGrain<IUserAccountsGrain>(0).Register(userId, new RegisterUser(
            request.Phone, request.Password, request.Nickname.Trim(), region, request.BirthDate, request.AvatarUrl, guardian,
            request.VerificationCode?.Trim(), request.VerificationId, request.PolicyVersion));
        return TypedResults.Created($"/v1/users/{userId}", new UserRegistered(userId));
    }

    internal static async Task<Results<Ok<UserProfile>, NotFound>> GetProfile(string userId, ClaimsPrincipal caller, IClusterClient cluster)
    {
        var profile = await cluster.GetGrain<IUserProfile>(userId).GetProfile();
        if (profile is null)
        {
            return TypedResults.NotFound();
        }

        // Support sees enough of the number to verify a caller, not the number itself, and no birth date.
        return TypedResults.Ok(caller.IsUser(userId) ? profile : profile.MaskedForSupport());
    }

    private static async Task<Results<Ok<UserProfile>, NotFound>> CorrectProfile(
        string userId, CorrectProfileRequest request, ClaimsPrincipal caller, IClusterClient cluster)
    {
        var profile = await cluster.GetGrain<IUserProfile>(userId)
            .CorrectOwnProfile(new ProfileCorrection(request.Nickname?.Trim(), request.AvatarUrl, request.BirthDate));
        return TypedResults.Ok(profile);
    }

    internal static async Task<Results<RenderedJson<ItemPage<ConsentStatus>>, NotFound>> GetConsents(string userId, ClaimsPrincipal caller, ConsentReads consents) =>
        await consents.AnswerAsync(userId);

    /// <summary>
    /// A page of the user's consent receipts, oldest first. Receipts are kept as proof for good, and a user may
    /// change a consent 60 times a minute: one answer holding all of them would grow without end (P4.4).
    /// </summary>
    internal static async Task<Results<Ok<ItemPage<ConsentReceipt>>, NotFound, ValidationProblem>> GetConsentHistory(
        string userId, ClaimsPrincipal caller, IClusterClient cluster, [Range(1, IUserConsents.MaxHistoryPage)] int? limit, [StringLength(10)] string? cursor)
    {
        if (!SkipCursor.TryRead(cursor, out var skip))
        {
            return SkipCursor.Invalid();
        }

        var take = limit ?? IUserConsents.MaxHistoryPage;
        var window = await cluster.GetResolvedGrain<IUserConsents>(userId).GetConsentHistoryPage(skip, take, newestFirst: false);
        return TypedResults.Ok(new ItemPage<ConsentReceipt>([.. window.Take(take)], SkipCursor.Next(skip, take, window.Count > take)));
    }

    internal static async Task<Results<Ok<ConsentReceiptBody>, NotFound, ValidationProblem>> SetConsent(
        string userId, string purpose, SetConsentRequest request, ClaimsPrincipal caller, IClusterClient cluster)
    {
        if (!ConsentPurposes.TryParse(purpose, out var parsed))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["purpose"] = [$"Unknown purpose. Purposes: {string.Join(", ", Enum.GetValues<ConsentPurpose>().Select(ConsentPurposes.Name))}."],
            });
        }

        var receipt = await cluster.GetResolvedGrain<IUserConsents>(userId)
            .SetConsent(new ConsentChange(parsed, request.Granted, request.PolicyVersion, CollectionMethods.Api));
        return TypedResults.Ok(ConsentReceiptBody.From(receipt));
    }

    private static async Task<Results<Created, NotFound>> RecordLocation(
        string userId, RecordLocationRequest request, ClaimsPrincipal caller, IClusterClient cluster, TimeProvider clock)
    {
        await cluster.GetGrain<IUserLocations>(userId).RecordLocation(new LocationSample(
            request.Latitude, request.Longitude, request.AccuracyMeters, request.Source, clock.GetUtcNow()));
        return TypedResults.Created($"/v1/users/{userId}/locations");
    }

    /// <summary>
    /// A page of the user's location samples, newest first (P1.2, P8.1): the newest 1,000 said they were all, while a user
    /// may hold 2,880 a day for 30 days.
    /// </summary>
    private static async Task<Results<Ok<ItemPage<LocationSample>>, NotFound, ValidationProblem>> GetLocations(
        string userId, ClaimsPrincipal caller, IClusterClient cluster, IDataProtectionProvider protection,
        [Range(1, 1000)] int? limit, [StringLength(512)] string? cursor)
    {
        var locations = cluster.GetGrain<IUserLocations>(userId);
        if (!caller.IsUser(userId))
        {
            // Support learns the city and the hour, enough to help with a delivery area, not where the user was: nor when,
            // from its cursor.
            return SupportLocationPages.TryRead(protection, userId, cursor, out var hour)
                ? TypedResults.Ok(await SupportLocationPages.ReadAsync(locations, protection, userId, hour))
                : SkipCursor.Invalid();
        }

        if (!TryReadBefore(cursor, out var before))
        {
            return SkipCursor.Invalid();
        }

        var page = await locations.GetLocationPage(before, limit ?? 1000);
        return TypedResults.Ok(new ItemPage<LocationSample>(page.Items, BeforeCursor(page.NextBefore)));
    }

    /// <summary>
    /// A page of the user's activity log (P1.3, P8.1): the newest 1,000 entries at most said they were all, while a log
    /// holds up to 10,000 entries a day for 180 days.
    /// </summary>
    private static async Task<Results<Ok<ItemPage<ActivityEntry>>, NotFound, ValidationProblem>> GetActivity(
        string userId, ClaimsPrincipal caller, IClusterClient cluster, IDataProtectionProvider protection, [Range(1, 1000)] int? limit, [StringLength(512)] string? cursor)
    {
        // P1.7, A.2 (*reviewer*): support's cursor is sealed, as its page leaves out the location routes' entries: in the
        // clear it named the instant of each flush of the log and counted its entries, a track of those posts all the same.
        var ownLog = caller.IsUser(userId);
        if (!(ownLog ? ActivityCursor.TryRead(cursor, out var from) : ActivityCursor.TryReadSealed(protection, userId, cursor, out from)))
        {
            return SkipCursor.Invalid();
        }

        var log = cluster.GetGrain<IActivityLogGrain>(0);
        var page = ownLog ? await log.GetUserActivityPage(userId, from, limit ?? 100) : await log.GetUserActivityPageForSupport(userId, from, limit ?? 100);
        return TypedResults.Ok(ownLog
            ? new ItemPage<ActivityEntry>(page.Items, ActivityCursor.Write(page.Next))
            : new ItemPage<ActivityEntry>(page.Items.MaskedForSupport(), ActivityCursor.WriteSealed(protection, userId, page.Next)));
    }
}

/// <summary>How consents given through this API are collected (the receipt's collection method).</summary>
internal static class CollectionMethods
{
    public const string Api = "api-explicit";
}

/// <summary>Body of <c>POST /v1/users</c>.</summary>
public sealed record RegisterUserRequest(
    [property: Required, MainlandMobile, StringLength(32)] string Phone,
    [property: Required, StringLength(128, MinimumLength = 8, ErrorMessage = "Passwords are 8 to 128 characters and not one of the commonest.")] string Password,
    [property: Required, StringLength(32, MinimumLength = 1), PlainText] string Nickname,
    [property: RegularExpression("^[A-Z]{2}$", ErrorMessage = "Use an upper-case ISO 3166-1 alpha-2 code, e.g. CN.")] string? Region = null,
    [property: PastDate] DateOnly? BirthDate = null,
    [property: HttpUrl, StringLength(512)] string? AvatarUrl = null,
    GuardianConsentRequest? GuardianConsent = null,
    [property: StringLength(16)] string? VerificationCode = null,
    [property: VerificationIdFormat] string? VerificationId = null,
    [property: StringLength(64), PlainText] string? PolicyVersion = null);

/// <summary>Body of <c>POST /v1/users/{userId}/password</c>.</summary>
public sealed record ChangePasswordRequest(
    [property: Required, StringLength(128, MinimumLength = 1)] string CurrentPassword,
    [property: Required, StringLength(128, MinimumLength = 8, ErrorMessage = "Passwords are 8 to 128 characters and not one of the commonest.")] string NewPassword);

/// <summary>Body of <c>POST /v1/users/{userId}/guardian-confirmation</c>: the code texted to the guardian's number.</summary>
public sealed record GuardianConfirmationRequest(
    [property: Required, StringLength(16, MinimumLength = 1)] string VerificationCode,
    [property: VerificationIdFormat] string? VerificationId = null)
{
    /// <summary>The code as the child's grain checks it, with the id its send handed out when the caller has it (P4.4).</summary>
    public GuardianCode Code() => new(VerificationCode.Trim(), VerificationId);
}

/// <summary>A notice as the user reads it: what kind, its words, when, and what it is about (a request id, a policy version, a merchant).</summary>
public sealed record NotificationBody(string NotificationId, string Kind, string Text, DateTimeOffset At, string? Subject, string? MerchantId, DateTimeOffset? EffectiveAt)
{
    public static NotificationBody From(UserNotification notice) =>
        new(notice.NotificationId ?? "", notice.Kind, notice.Message, notice.At, notice.Subject ?? notice.MerchantId, notice.MerchantId, notice.EffectiveAt);
}

/// <summary>A guardian's consent for a child under 14 (P5.1).</summary>
public sealed record GuardianConsentRequest(
    [property: Required, StringLength(64, MinimumLength = 1)] string GuardianName,
    [property: Required, MainlandMobile, StringLength(32)] string GuardianPhone,
    [property: Required, StringLength(32, MinimumLength = 1)] string Relationship);

public sealed record UserRegistered(string UserId);

/// <summary>Body of <c>PATCH /v1/users/{userId}</c>; absent fields stay as they are.</summary>
public sealed record CorrectProfileRequest(
    [property: StringLength(32, MinimumLength = 1), NotBlank, PlainText] string? Nickname = null,
    [property: HttpUrl, StringLength(512)] string? AvatarUrl = null,
    [property: PastDate] DateOnly? BirthDate = null);

/// <summary>Body of <c>PUT /v1/users/{userId}/consents/{purpose}</c>.</summary>
public sealed record SetConsentRequest(
    bool Granted,
    [property: Required, StringLength(32, MinimumLength = 1)] string PolicyVersion);

/// <summary>The receipt a consent change returns.</summary>
public sealed record ConsentReceiptBody(string ReceiptId, ConsentPurpose Purpose, bool Granted, string PolicyVersion, DateTimeOffset At)
{
    public static ConsentReceiptBody From(ConsentReceipt receipt) =>
        new(receipt.ReceiptId, receipt.Purpose, receipt.Granted, receipt.PolicyVersion, receipt.At);
}

/// <summary>Body of <c>POST /v1/users/{userId}/addresses/imports</c> (P1.8).</summary>
public sealed record ImportAddressesRequest(
    [property: Required, StringLength(128, MinimumLength = 1), PlainText] string Source,
    [property: Required, StringLength(256, MinimumLength = 1), PlainText] string Authorization,
    [property: Required, MinLength(1), MaxLength(100), NoNullItems] IReadOnlyList<AddressRequest> Addresses);

public sealed record AddressRequest(
    [property: Required, StringLength(64, MinimumLength = 1), PlainText] string RecipientName,
    [property: Required, MainlandMobile, StringLength(32)] string Phone,
    [property: Required, StringLength(256, MinimumLength = 1), PlainText] string Address,
    [property: Required, StringLength(64, MinimumLength = 1), PlainText] string DoorNumber);

/// <summary>Body of <c>POST /v1/users/{userId}/locations</c> (P1.2).</summary>
public sealed record RecordLocationRequest(
    [property: Range(-90.0, 90.0)] double Latitude,
    [property: Range(-180.0, 180.0)] double Longitude,
    [property: Range(0.0, 1_000_000.0)] double AccuracyMeters,
    LocationSource Source);
