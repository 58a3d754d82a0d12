using System.Text.RegularExpressions;

namespace MeiLing.Tests.Infrastructure;

/// <summary>Posting the consoles' forms over plain HTTP, as a browser (or a script pretending to be one) would.</summary>
public static partial class PageForms
{
    /// <summary>Posts a form as the page would: the antiforgery token read from the page first.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient browser, string action, Dictionary<string, string> fields, string? formPage = null)
    {
        var html = await browser.GetStringAsync(formPage ?? action.Split('?')[0]);
        fields["__RequestVerificationToken"] = AntiforgeryToken().Match(html).Groups[1].Value;
        return await browser.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
