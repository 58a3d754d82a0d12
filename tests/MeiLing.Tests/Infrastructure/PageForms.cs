using System.Text.RegularExpressions;
using MeiLing.Tests.Users;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MeiLing.Tests.Infrastructure;

/// <summary>Posting the consoles' forms over plain HTTP, as a browser (or a script pretending to be one) would.</summary>
public static partial class PageForms
{
    /// <summary>Posts a form as the page would: the antiforgery token read from the page first.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient browser, string action, Dictionary<string, string> fields, string? formPage = null)
    {
        fields["__RequestVerificationToken"] = await browser.FormTokenAsync(formPage ?? action.Split('?')[0]);
        return await browser.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    /// <summary>The antiforgery token of the form on <paramref name="page"/> (its cookie lands in the browser's jar).</summary>
    public static async Task<string> FormTokenAsync(this HttpClient browser, string page) =>
        AntiforgeryToken().Match(await browser.GetStringAsync(page)).Groups[1].Value;

    /// <summary>A browser signed in to the privacy center as <paramref name="user"/>, its session in its cookie jar.</summary>
    internal static async Task<HttpClient> PrivacyCenterAsync(this PlatformFixture platform, RegisteredUser user)
    {
        var browser = platform.Api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var signedIn = await browser.PostFormAsync("/privacy/signin", new() { ["phone"] = user.Phone, ["password"] = user.Password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return browser;
    }

    /// <summary>A browser signed in to the support console with <paramref name="apiKey"/>, its session in its cookie jar.</summary>
    internal static async Task<HttpClient> SupportConsoleAsync(this PlatformFixture platform, string apiKey)
    {
        var browser = platform.Api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var signedIn = await browser.PostFormAsync("/console/signin", new() { ["apiKey"] = apiKey });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return browser;
    }

    /// <summary>The table row of <paramref name="html"/> whose id is <paramref name="rowId"/>, to its <c>&lt;/tr&gt;</c>.</summary>
    public static string RowOf(string html, string rowId)
    {
        var row = html[html.IndexOf($"id=\"{rowId}\"", StringComparison.Ordinal)..];
        return row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
