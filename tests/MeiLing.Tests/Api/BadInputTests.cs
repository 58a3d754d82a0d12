using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using MeiLing.Grains.Platform;
using Npgsql;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace MeiLing.Tests.Api;

/// <summary>Bad input gets a 4xx problem+json and leaves storage exactly as it was.</summary>
[Collection(PlatformCollection.Name)]
public sealed class BadInputTests(PlatformFixture platform)
{
    public static TheoryData<string, HttpStatusCode> MalformedMerchantBodies => new()
    {
        { "{\"name\":", HttpStatusCode.BadRequest },
        { "not json at all", HttpStatusCode.BadRequest },
        { "{\"name\":123}", HttpStatusCode.BadRequest },
        { "{\"name\":null}", HttpStatusCode.BadRequest },
        { "{}", HttpStatusCode.BadRequest },
        { "[]", HttpStatusCode.BadRequest },
        { "{\"name\":\"\"}", HttpStatusCode.BadRequest },
        { "{\"name\":\"ok\",\"region\":7}", HttpStatusCode.BadRequest },
        { "{\"name\":\"ok\",\"region\":\"cn\"}", HttpStatusCode.BadRequest },
        { "", HttpStatusCode.BadRequest },
    };

    [Theory]
    [MemberData(nameof(MalformedMerchantBodies))]
    public async Task A_malformed_merchant_is_refused_and_nothing_is_stored(string body, HttpStatusCode expected)
    {
        var before = await StoredMerchants();

        var response = await platform.Operator().PostAsync("/v1/merchants", Json.Raw(body));

        await response.AssertProblemAsync(expected);
        Assert.Equal(before, await StoredMerchants());
    }

    [Theory]
    [InlineData("22021", StatusCodes.Status400BadRequest)] // a NUL in text: only a client's value carries one
    [InlineData("22P05", StatusCodes.Status400BadRequest)] // a character outside the encoding
    [InlineData("22003", StatusCodes.Status503ServiceUnavailable)] // an overflow in a query the server builds: the server's failure, as any other of PostgreSQL's
    public async Task A_value_postgresql_refuses_in_a_grain_is_400_only_when_it_is_text_a_client_sent(string sqlState, int expected)
    {
        // As a grain's failure reaches the API: turned into the platform's refusal on the silo, then through Orleans' codec.
        // Co-hosted, the API host has no serializer of its own: it meets a remote grain's failure through its silo's.
        var refusal = InfrastructureFailureFilter.Classify(new PostgresException("refused", "ERROR", "ERROR", sqlState));
        var serializer = platform.Api.Services.GetService<Serializer>()
            ?? ((InProcessSiloHandle)platform.Cluster.Primary!).SiloHost.Services.GetRequiredService<Serializer>();
        var refused = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(refusal!))!;
        var context = new DefaultHttpContext { RequestServices = platform.Api.Services };
        context.Response.Body = new MemoryStream();

        var handled = await platform.Api.Services.GetServices<IExceptionHandler>().Single().TryHandleAsync(context, refused, default);

        Assert.True(handled);
        Assert.Equal(expected, context.Response.StatusCode);
    }

    [Fact]
    public async Task A_missing_field_is_named_in_errors()
    {
        var response = await platform.Operator().PostAsync("/v1/staff", Json.Raw("{\"name\":\"Wu\"}"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("role", out _), problem.ToString());
    }

    [Fact]
    public async Task An_unknown_role_is_400()
    {
        var response = await platform.Operator().PostAsync("/v1/staff", Json.Raw("{\"name\":\"Wu\",\"role\":\"boss\"}"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_body_over_64_KB_is_413_and_nothing_is_stored()
    {
        var before = await StoredMerchants();
        var huge = "{\"name\":\"" + new string('a', 70_000) + "\"}";

        var response = await platform.Operator().PostAsync("/v1/merchants", Json.Raw(huge));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await StoredMerchants());
    }

    [Theory]
    [InlineData(33)]
    [InlineData(10_000)]
    public async Task A_body_nested_deeper_than_32_levels_is_400_and_nothing_is_stored(int depth)
    {
        var before = await StoredMerchants();
        // An unknown member is skipped, not refused: only its depth makes this body bad.
        var nested = "{\"name\":\"ok\",\"extra\":" + string.Concat(Enumerable.Repeat("[", depth - 1)) + string.Concat(Enumerable.Repeat("]", depth - 1)) + "}";

        var response = await platform.Operator().PostAsync("/v1/merchants", Json.Raw(nested));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, await StoredMerchants());
    }

    [Theory]
    [InlineData("%20")]
    [InlineData("mer_aaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("usr_AAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_route_id_of_the_wrong_shape_is_404_even_for_support_and_is_never_audited(string userId)
    {
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Shapes", "support")).ApiKey);
        var audited = await AuditEntries();

        var response = await support.GetAsync($"/v1/users/{userId}/consents");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(audited, await AuditEntries());
    }

    [Fact]
    public async Task A_route_id_far_too_long_is_404()
    {
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Long", "support")).ApiKey);

        var response = await support.PostAsync($"/v1/users/usr_{new string('a', 600)}/tickets", Json.Raw("{\"subject\":\"s\",\"message\":\"m\"}"));

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("application/json; charset=bogus-8")]
    [InlineData("application/json; charset=")]
    [InlineData("application/json;charset=")]
    [InlineData("application/json; charset= ")]
    [InlineData("application/json; charset=\"\"")]
    public async Task A_body_in_an_unknown_or_empty_charset_is_415(string contentType)
    {
        var body = new ByteArrayContent("{\"name\":\"x\"}"u8.ToArray());
        body.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await platform.Operator().PostAsync("/v1/merchants", body);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    // P4.4: a quoted charset is valid HTTP; the framework's JSON reader threw for it, and any caller, signed in or not,
    // got 500 on every route reading JSON.
    [Theory]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/json; charset=\" utf-8 \"")]
    [InlineData("application/json; charset=\"UTF-8\"")]
    public async Task P4_4_a_body_in_a_quoted_known_charset_is_read(string contentType)
    {
        var body = new ByteArrayContent("{\"name\":\"Quoted charset\"}"u8.ToArray());
        body.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await platform.Operator().PostAsync("/v1/merchants", body);

        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task A_null_item_in_a_list_is_400()
    {
        var merchant = await platform.CreateMerchantAsync("Null items");

        var response = await platform.Client(merchant.ApiKey).PostAsync(
            $"/v1/merchants/{merchant.MerchantId}/orders", Json.Raw("{\"userId\":\"usr_aaaaaaaaaaaaaaaaaaaaaaaaaa\",\"items\":[null]}"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("items", out _), problem.ToString());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        var response = await platform.Operator().PostAsync("/v1/merchants", Json.Raw("name=x", "text/plain"));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task An_unknown_route_is_404_problem()
    {
        var response = await platform.Operator().GetAsync("/v1/no-such-thing");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_wrong_method_is_405_problem()
    {
        var response = await platform.Operator().DeleteAsync("/v1/merchants");

        await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Validation_errors_name_fields_as_clients_send_them()
    {
        var response = await platform.Operator().PostAsync("/v1/merchants", Json.Raw("{\"name\":\"\"}"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _), problem.ToString());
    }

    private Task<long> AuditEntries() => platform.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log");

    private Task<long> StoredMerchants() =>
        platform.Database.ScalarAsync<long>("SELECT count(*) FROM orleans_storage WHERE grain_type LIKE '%merchant%'");
}
