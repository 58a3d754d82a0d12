using System.Text.Json;
using System.Text.Json.Serialization;
using MeiLing.Api.Activity;
using MeiLing.Api.Apis;
using MeiLing.Api.Audit;
using MeiLing.Api.Consoles;
using MeiLing.Api.Health;
using MeiLing.Api.Problems;
using MeiLing.Api.Routing;
using MeiLing.Api.Security;
using MeiLing.Api.Validation;
using MeiLing.Grains.Access;
using MeiLing.ServiceDefaults;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Validation;
using Orleans.Configuration;

namespace MeiLing.Api.Extensions;

/// <summary>Everything the API host registers and maps, so Program.cs reads as a table of contents.</summary>
public static class ApiHostingExtensions
{

    /// <summary>How deeply a JSON body may nest.</summary>
    public const int MaxJsonDepth = 32;

    /// <summary>Registers the API. <paramref name="silo"/>: the services of the silo this API is co-hosted with.</summary>
    public static WebApplicationBuilder AddMeiLingApi(this WebApplicationBuilder builder, IServiceProvider? silo = null)
    {
        var settings = builder.AddMeiLingSettings<ApiSettings>();
        RequireSessionKeyOutsideDevelopment(builder, settings);
        RefuseLoopbackWebhooksWhereUsersAre(builder, settings);
        RequireTheDeliveryPartnersSecretWhereUsersAre(builder, settings);
        builder.AddMeiLingTelemetry("meiling-api");
        builder.Services.AddRequestMetrics();

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = RequestBodyLimit.MaxBytes;
            kestrel.AddServerHeader = false;
            kestrel.UseProblemJsonForServerRejections();
        });
        builder.Services.AddTrustedProxies(settings);

        if (silo is not null)
        {
            builder.Services.AddGrainsOfSilo(silo);
        }
        else if (!settings.IsCohosted)
        {
            AddClusterClient(builder, settings);
        }

        builder.Logging.KeepRequestLinesOff();

        builder.Services.Configure<JsonOptions>(options => ConfigureJson(options.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddRouteIds();
        builder.Services.AddValidation();
        builder.Services.AddSingleton<IPostConfigureOptions<ValidationOptions>, RememberedValidatableInfo.Setup>();

        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemShape.Complete);
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();

        // Staff and merchants send X-Api-Key; users send a bearer token or their session cookie.
        builder.Services.AddSingleton<UserSessions>();
        builder.Services.AddSingleton<RecentSignIn>();
        builder.Services.AddSingleton<UnknownApiKeys>();
        builder.Services.AddSingleton<RecentlyValidKeys>();
        builder.Services.AddSingleton<EndedSessionIds>();
        builder.Services.AddSingleton<Audit.RecentListings>();
        builder.Services.AddSingleton<NetworkAllowances>();
        builder.Services.TryAddSingleton<IApiKeyResolver, ClusterApiKeyResolver>();
        builder.Services.AddSingleton<ApiKeyLookups>();
        builder.Services.AddSingleton<ConsentReads>();
        builder.Services.AddSingleton<FailedAuthenticationLimit>();
        // The user's session is the default scheme and hands every other credential on (SelectScheme): a policy scheme in
        // front of it was a second handler built, initialised and forwarded through on every request.
        builder.Services.AddSingleton<IAuthenticationSchemeProvider, CachedSchemeProvider>();
        builder.Services.AddAuthentication(RememberedSessionHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, RememberedSessionHandler>(RememberedSessionHandler.SchemeName, options => options.ForwardDefaultSelector = SelectScheme)
            .AddJwtBearer()
            .AddCookie(ConsoleAuthentication.Scheme, ConsoleAuthentication.Configure);
        builder.Services.AddSingleton<StaffKeys>();
        // The console cookie and the forms' antiforgery tokens are data-protected: one key ring for every host.
        builder.Services.AddSharedKeyRing(settings);
        builder.Services.AddMeiLingConsoles();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<UserSessions>((options, sessions) => sessions.Configure(options));

        builder.Services.AddSingleton<ActivityRecorder>();
        builder.Services.AddHostedService<ActivityFlusher>();
        // A route that names no policy still needs a caller: only routes marked AllowAnonymous are open.
        builder.Services.AddAuthorizationBuilder().AddMeiLingPolicies()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.BuildAuthorizationServicesOnce();
        builder.Services.AddMeiLingRateLimits(settings);

        builder.Services.AddHealthChecks()
            .AddSharedCheck<ClusterHealthCheck>("cluster", tags: [HostingExtensions.ReadyTag]);

        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<OpenApiSecurityTransformer>();
            options.AddOperationTransformer<OpenApiSecurityTransformer>();
            options.AddSchemaTransformer<OpenApiEnumNames>();
        });
        // P4.4: the document is built once and kept (OpenApiDocumentCache); without it every anonymous request rebuilt all of it.
        builder.Services.AddOutputCache();
        return builder;
    }

    /// <summary>
    /// Which credential a request is judged by: an API key header first, then a bearer token or the user's
    /// session cookie; the support console's cookie only where no other credential is presented (and, on
    /// the console's own pages, before the user's cookie), so a signed-in agent is the same support caller
    /// the API knows, refused what the API refuses support.
    /// </summary>
    private static string SelectScheme(HttpContext context)
    {
        var request = context.Request;
        if (request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName))
        {
            return ApiKeyAuthenticationHandler.SchemeName;
        }

        var consoleCookie = request.Cookies.ContainsKey(ConsoleAuthentication.CookieName) && !request.Headers.ContainsKey("Authorization");
        return consoleCookie && (ConsolePaths.IsConsole(request.Path) || !UserSessions.HasCookie(request))
            ? ConsoleAuthentication.Scheme
            : RememberedSessionHandler.SchemeName;
    }

    // The separate topology: a cluster client that finds the silos' gateways in the membership table.
    private static void AddClusterClient(WebApplicationBuilder builder, ApiSettings settings)
    {
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = settings.ClusterId;
                options.ServiceId = settings.ServiceId;
            });
            if (settings.GatewayEndpoints.Count > 0)
            {
                client.UseStaticClustering([.. settings.GatewayEndpoints]);
            }
            else
            {
                client.UseAdoNetClustering(options =>
                {
                    options.Invariant = PostgresConnections.AdoNetInvariant;
                    options.ConnectionString = settings.Postgres;
                });
            }

            client.UseFailFastCalls(settings);
            client.Services.AddApiGrainCallFilters();
            if (TelemetryExtensions.IsExported(builder.Configuration))
            {
                // Carries the HTTP request's trace into the grain calls it makes.
                client.AddActivityPropagation();
            }

            // The API may start before any silo: keep trying, and stay not-ready until connected.
            client.UseConnectionRetryFilter(async (_, cancellationToken) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                return true;
            });
        });
    }

    // A random per-process key would end every session at each restart and break them across hosts:
    // acceptable on a developer's machine only.
    private static void RequireSessionKeyOutsideDevelopment(WebApplicationBuilder builder, ApiSettings settings)
    {
        if (settings.JwtKeyBytes is null && !builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"Invalid configuration:{Environment.NewLine}  - MEILING_JWT_KEY is required outside Development: base64 of at least {ApiSettings.MinJwtKeyBytes} random bytes, the same on every API host.");
        }
    }

    // P4.4: where real users are, loopback is the platform's own ports (the silo's dashboard, a co-hosted gateway, PostgreSQL),
    // never a merchant's endpoint; the silos refuse the same setting there. Allowed only where the sandboxes are, Development
    // and Sandbox, by name (*reviewer*): refused in Production alone, a Staging with real users let a merchant probe them.
    private static void RefuseLoopbackWebhooksWhereUsersAre(WebApplicationBuilder builder, ApiSettings settings)
    {
        var sandboxed = builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Sandbox");
        if (!sandboxed && settings.AllowsLoopbackWebhooks(builder.Environment))
        {
            throw new InvalidOperationException(
                $"Invalid configuration:{Environment.NewLine}  - MEILING_WEBHOOK_ALLOW_LOOPBACK=true is refused in the {builder.Environment.EnvironmentName} environment: a merchant's URL would reach the platform's own services. Leave it unset, or run with DOTNET_ENVIRONMENT set to Development or Sandbox.");
        }
    }

    // P3.1 (*reviewer*): the silos refuse to start without the delivery partner's notice URL and secret where real users are,
    // and tell it of every erasure and correction; an API host without its secret answered each of its signed confirmations
    // 404 (as "not told of that cause"), so every request with a delivery waited on it for good, on support's chase list.
    private static void RequireTheDeliveryPartnersSecretWhereUsersAre(WebApplicationBuilder builder, ApiSettings settings)
    {
        var sandboxed = builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Sandbox");
        if (!sandboxed && !settings.PartnerSecrets.ContainsKey(MeiLing.Grains.Orders.IOrderGrain.DeliveryPartner))
        {
            throw new InvalidOperationException(
                $"Invalid configuration:{Environment.NewLine}  - MEILING_PAYMENT_PARTNER_SECRETS must name {MeiLing.Grains.Orders.IOrderGrain.DeliveryPartner} in the {builder.Environment.EnvironmentName} environment, as the silos' does: it signs its confirmations that it acted on a user's erasure or correction.");
        }
    }

    private const string SwaggerUiPath = "/swagger";

    public static WebApplication UseMeiLingApi(this WebApplication app)
    {
        if (app.Services.GetRequiredService<ApiSettings>().IsCohosted)
        {
            CohostedGrains.RequireGrains(app);
        }

        // First: every later step (rate limits, activity log, Secure cookie, HSTS) sees the client as a trusted proxy reported it.
        app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // The browsable UI is static files for anyone, served before authorization (it is no endpoint the
        // fallback policy could see as anonymous); the document it reads is an endpoint of its own. Only its own
        // paths enter it: its look-ups cost every other request a hundredth of a consent read (docs/performance.md).
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(SwaggerUiPath),
            swagger => swagger.UseSwaggerUI(options =>
            {
                options.RoutePrefix = SwaggerUiPath[1..];
                options.SwaggerEndpoint("/openapi/v1.json", "MeiLing API v1");
                options.DocumentTitle = "MeiLing API";
            }));
        app.UseRequestBodyLimit();
        app.UseKnownRequestCharset();
        app.UseAuthenticationWithFailureLimit();
        app.UseRateLimiter();
        app.UseAuthorization();
        // Only the API's description enters the output cache: no other route pays for its look-up.
        app.UseWhen(OpenApiDocumentCache.IsDocumentPath, described => described.UseOutputCache());
        app.UseWellFormedIdempotencyKeys();
        app.UseSupportAudit();
        app.UseActivityLog();
        return app;
    }

    public static WebApplication MapMeiLingApi(this WebApplication app)
    {
        app.MapHealthEndpoints().AllowAnonymous();
        app.MapRequestMetrics().RequireAuthorization(AuthorizationPolicies.Operator);
        app.MapOpenApi(OpenApiDocumentCache.Pattern).AllowAnonymous().CacheOutput(OpenApiDocumentCache.Policy);
        app.MapMeiLingConsoles();

        // Every resource's routes: a user's session is confirmed by the first grain call they make.
        var api = app.MapGroup("").AddEndpointFilter<UserSessionEndpointFilter>().WithProblemResponses();
        api.MapDiagnosticsApi();
        api.MapMerchantsApi();
        api.MapStaffApi();
        api.MapPoliciesApi();
        api.MapUsersApi();
        api.MapSessionsApi();
        api.MapVerificationCodesApi();
        api.MapPasswordResetsApi();
        api.MapSandboxApi();
        api.MapConsentRecordsApi();
        api.MapProductsApi();
        api.MapOrdersApi();
        api.MapPaymentPartnersApi();
        api.MapMemberCardsApi();
        api.MapMemberCardProtectionApi();
        api.MapTicketsApi();
        api.MapRequestsApi();
        api.MapRequestFollowUpApi();
        api.MapAnalyticsApi();
        api.MapWebhooksApi();
        api.MapTransfersApi();
        api.MapClosureNoticesApi();
        api.MapLegalDisclosuresApi();
        api.MapAuditLogApi();
        api.MapMerchantStaffApi();
        api.MapReportsApi();
        return app;
    }

    /// <summary>camelCase, enums as kebab-case strings, nulls written (nextCursor: null), absent or null non-nullable members refused, nesting bounded.</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        // Exactly one name each: the framework's converter alone also reads "a,b" as the OR of two members.
        options.Converters.Add(new ExactEnumNames());
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;

        // A body is at most 64 KB, and no request shape nests deeper than a few levels: refusing deeper
        // documents early bounds the reader's work (the default allows 64).
        options.MaxDepth = MaxJsonDepth;
    }
}
