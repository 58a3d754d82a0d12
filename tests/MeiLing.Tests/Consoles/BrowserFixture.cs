using MeiLing.Api;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace MeiLing.Tests.Consoles;

/// <summary>
/// The platform with its API also listening on a real loopback port, and Debian's Chromium driven by
/// Playwright against it (never a browser Playwright would download). Screenshots of each page go to
/// <c>docs/screenshots/</c> when <c>MEILING_UPDATE_SCREENSHOTS=1</c>, else to a temporary folder, so a test
/// run leaves the checkout as it found it.
/// </summary>
public sealed class BrowserFixture : PlatformFixture, IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private WebApplicationFactory<ApiAssemblyMarker>? _kestrel;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public static string ScreenshotFolder
    {
        get
        {
            if (Environment.GetEnvironmentVariable("MEILING_UPDATE_SCREENSHOTS") != "1")
            {
                return Path.Combine(Path.GetTempPath(), "meiling-screenshots");
            }

            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "MeiLing.Orleans.sln")))
            {
                folder = folder.Parent;
            }

            return Path.Combine(folder?.FullName ?? AppContext.BaseDirectory, "docs", "screenshots");
        }
    }

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // A port the system picks on 127.0.0.1: Kestrel's default (localhost:5000) collides with any other host.
        _kestrel = Api.WithWebHostBuilder(host => host.UseSetting(Microsoft.AspNetCore.Hosting.WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0"));
        _kestrel.UseKestrel();
        _kestrel.StartServer();
        BaseUrl = _kestrel.ClientOptions.BaseAddress.ToString().TrimEnd('/');

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser context (its own cookies) at a phone's or a desk's screen size.</summary>
    public Task<IBrowserContext> NewContextAsync(bool phone = false) => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = BaseUrl,
        ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
        DeviceScaleFactor = 1,
        Locale = "zh-CN",
    });

    /// <summary>
    /// Waits until the page shows <paramref name="pathAndQuery"/>, fully loaded; a page that stays elsewhere fails with where
    /// it is and what it shows (a refused sign-in, an error page), not only with a timeout.
    /// </summary>
    /// <remarks>
    /// Asked of the page itself, not of Playwright's <c>WaitForURLAsync</c>: that checks the load states it has heard of and
    /// then subscribes to the next one, so a <c>load</c> that arrives in between is lost and it waits out its timeout on a page
    /// that already loaded (playwright-dotnet #3364; seen once in CI on the console's sign-in). A function evaluated in the
    /// page is retried by the browser's side across the navigation and reads the document's own state.
    /// </remarks>
    public static async Task WaitForPageAsync(IPage page, string pathAndQuery, TimeSpan patience)
    {
        try
        {
            await page.WaitForFunctionAsync(
                "expected => location.pathname + location.search === expected && document.readyState === 'complete'",
                pathAndQuery,
                new PageWaitForFunctionOptions { Timeout = (float)patience.TotalMilliseconds, PollingInterval = 50 });
        }
        catch (TimeoutException)
        {
            var shown = await page.InnerTextAsync("body", new PageInnerTextOptions { Timeout = 5_000 });
            throw new Xunit.Sdk.XunitException($"Waited {patience.TotalSeconds} s for {pathAndQuery}; the page is still at {page.Url}, showing:\n{shown}");
        }
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }

    public new async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_kestrel is not null)
        {
            await _kestrel.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
