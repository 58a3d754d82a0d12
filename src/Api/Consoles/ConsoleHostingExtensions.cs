using MeiLing.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace MeiLing.Api.Consoles;

/// <summary>
/// The support console (<c>/console</c>) and the privacy center (<c>/privacy</c>): Razor Pages in the API
/// process, calling the API's own handlers, with antiforgery tokens on every form and no script.
/// </summary>
public static class ConsoleHostingExtensions
{
    public const string StylesheetPath = "/ui/site.css";

    public static IServiceCollection AddMeiLingConsoles(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ConsoleChallenges>();
        services.AddRazorPages(options =>
        {
            options.Conventions.ConfigureFilter(new SameOriginFormPosts());
            options.Conventions.ConfigureFilter(new Microsoft.AspNetCore.Mvc.ServiceFilterAttribute(typeof(UserSessionPageFilter)));
        });
        services.AddScoped<UserSessionPageFilter>();

        // The security headers name frame-ancestors and X-Frame-Options for every response already.
        services.AddAntiforgery(options =>
        {
            options.SuppressXFrameOptionsHeader = true;
            options.Cookie.Name = "meiling_antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
        });

        // The one-time notices after an action (a receipt's id, a password changed) travel in a cookie like the session's,
        // and like it only within the site: Lax, the framework's default, would also send it on another site's link.
        services.Configure<CookieTempDataProviderOptions>(options => options.Cookie.SameSite = SameSiteMode.Strict);
        return services;
    }

    public static WebApplication MapMeiLingConsoles(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapGet(StylesheetPath, Stylesheet).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static readonly Lazy<byte[]> Css = new(() =>
    {
        using var stream = typeof(ConsoleHostingExtensions).Assembly.GetManifestResourceStream("MeiLing.Api.Consoles.site.css")!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    private static IResult Stylesheet(HttpResponse response)
    {
        response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.Bytes(Css.Value, "text/css; charset=utf-8");
    }
}
