using System.Text.Json;
using MeiLing.Grains.Legal;
using MeiLing.Tests.Api;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.Legal;

/// <summary>P3.3: a legal demand is withheld from its user for a period at a time, and the user is told once it lapses.</summary>
[Collection(TimeTravelCollection.Name)]
public sealed class LegalWithholdingTests(TimeTravelFixture platform)
{
    // P3.3 (*reviewer*): a demand withheld from its user stayed hidden for good: nothing ever set it told, and a later
    // attempt to tell the user was 409 for the same document. A withholding now runs to a date; only an operator other than
    // the one who set it running renews it; lapsed, the user is told and reads it in their ledger and access log.
    [Fact]
    public async Task P3_3_a_withholding_ends_and_the_user_is_told_once_it_lapses_unless_a_second_operator_renews_it()
    {
        var user = await platform.RegisterUserAsync();
        const string Authority = "Shenzhen Public Security Bureau";
        var approved = await platform.RecordAndApproveAsync(user.UserId, new
        {
            authority = Authority, documentType = "investigation-letter", documentReference = "SZ-2026-77", fields = new[] { "phone", "orders" },
            notifyUser = false, withheldUntil = platform.Clock.GetUtcNow().AddDays(30),
        });
        var disclosureId = approved.GetProperty("disclosureId").GetString()!;
        var path = $"/v1/legal-disclosures/{disclosureId}/withholding";
        var bySetter = await platform.Operator().PostAsJsonAsync(path, new { until = platform.Clock.GetUtcNow().AddDays(60), reason = "Still under investigation." });
        var byOneItEnrolled = await (await platform.SecondOperatorAsync("Setter's Own Operator")).PostAsJsonAsync(
            path, new { until = platform.Clock.GetUtcNow().AddDays(60), reason = "Asked to." });
        var renewed = await (await platform.IndependentOperatorAsync("Renewing Operator")).PostAsJsonAsync(
            path, new { until = platform.Clock.GetUtcNow().AddDays(60), reason = "The bureau's letter of renewal, ref SZ-2026-77-R." });

        platform.Clock.Advance(TimeSpan.FromDays(31));
        var grain = platform.Grains.GetGrain<ILegalDisclosuresGrain>(0);
        await grain.ReleaseLapsed();
        var whileRenewed = await platform.AsUserAsync(user);
        var ledgerWhileRenewed = await whileRenewed.GetStringAsync($"/v1/users/{user.UserId}/disclosures");
        platform.Clock.Advance(TimeSpan.FromDays(30));
        await grain.ReleaseLapsed();
        var client = await platform.AsUserAsync(user);
        var ledger = await client.GetStringAsync($"/v1/users/{user.UserId}/disclosures");
        var accessLog = await client.GetStringAsync($"/v1/users/{user.UserId}/access-log");
        var notice = (await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/notifications"))
            .GetProperty("items").EnumerateArray().Single(n => n.GetProperty("kind").GetString() == "legal-disclosure");
        var renewAfter = await (await platform.SecondOperatorAsync("Late Operator")).PostAsJsonAsync(
            path, new { until = platform.Clock.GetUtcNow().AddDays(60), reason = "Too late." });

        Assert.EndsWith("/own-withholding", (await bySetter.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.EndsWith("/enrolled-the-setter", (await byOneItEnrolled.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.DoesNotContain(Authority, ledgerWhileRenewed, StringComparison.Ordinal);
        Assert.Contains(Authority, ledger, StringComparison.Ordinal);
        Assert.Contains("\"legal-disclosure\"", accessLog, StringComparison.Ordinal);
        Assert.Contains("withheld from you until", notice.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/not-withheld", (await renewAfter.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
    }

    // P1.7, P3.3 (*reviewer*): a withholding past its end, not yet released by the hourly sweep, was renewed (200) for another
    // period: the user never told for as long as operators kept renewing late. A lapsed withholding is not renewed; the next
    // sweep tells the user.
    [Fact]
    public async Task P1_7_P3_3_a_lapsed_withholding_is_not_renewed_before_the_sweep_releases_it()
    {
        var user = await platform.RegisterUserAsync();
        const string Authority = "Hangzhou Public Security Bureau";
        var approved = await platform.RecordAndApproveAsync(user.UserId, new
        {
            authority = Authority, documentType = "investigation-letter", documentReference = "HZ-2026-31", fields = new[] { "phone" },
            notifyUser = false, withheldUntil = platform.Clock.GetUtcNow().AddDays(30),
        });
        var disclosureId = approved.GetProperty("disclosureId").GetString()!;
        var renewer = await platform.IndependentOperatorAsync("Late Renewing Operator");

        // Past the term's end, before any sweep.
        platform.Clock.Advance(TimeSpan.FromDays(31));
        var renewed = await renewer.PostAsJsonAsync($"/v1/legal-disclosures/{disclosureId}/withholding",
            new { until = platform.Clock.GetUtcNow().AddDays(300), reason = "The bureau asked again, late." });
        var stored = await platform.Database.ScalarAsync<DateTime>("SELECT withheld_until FROM legal_disclosures WHERE disclosure_id = $1", disclosureId);
        var released = await platform.Grains.GetGrain<ILegalDisclosuresGrain>(0).ReleaseLapsed();
        var ledger = await (await platform.AsUserAsync(user)).GetStringAsync($"/v1/users/{user.UserId}/disclosures");

        Assert.EndsWith("/withholding-lapsed", (await renewed.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        Assert.True(stored < platform.Clock.GetUtcNow().UtcDateTime, $"The withholding was renewed to {stored:O}.");
        Assert.True(released >= 1);
        Assert.Contains(Authority, ledger, StringComparison.Ordinal);
    }
}
