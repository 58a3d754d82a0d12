using System.Text.Json;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using Orleans.TestingHost;

namespace MeiLing.Tests.Users;

[Collection(PlatformCollection.Name)]
public sealed class RegistrationTests(PlatformFixture platform)
{
    [Theory]
    [InlineData("12800138000")]
    [InlineData("1380013800")]
    [InlineData("+1 415 555 0100")]
    [InlineData("phone")]
    public async Task P1_1_a_number_that_is_not_a_mainland_mobile_is_400(string phone)
    {
        var response = await platform.Client().PostAsJsonAsync("/v1/users", new { phone, password = "long enough", nickname = "n" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("phone", out _), problem.ToString());
    }

    [Fact]
    public async Task P1_1_a_password_under_8_characters_is_400()
    {
        var response = await platform.Client().PostAsJsonAsync("/v1/users", new { phone = UserApiClient.NewPhone(), password = "short", nickname = "n" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _), problem.ToString());
    }

    [Fact]
    public async Task P1_1_a_number_registers_once_whatever_its_formatting()
    {
        var user = await platform.RegisterUserAsync();
        var formatted = $"+86 {user.Phone[..3]}-{user.Phone[3..7]}-{user.Phone[7..]}";

        var code = await platform.ObtainCodeAsync(user.Phone, "register");

        var again = await platform.Client().PostAsJsonAsync("/v1/users", new { phone = formatted, password = "another password", nickname = "twin", verificationCode = code });

        var problem = await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/phone-taken", problem.TypeOf(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task P1_1_concurrent_registrations_of_one_number_create_one_account()
    {
        var phone = UserApiClient.NewPhone();
        var passwords = Enumerable.Range(0, 10).Select(i => $"password number {i}").ToList();
        var code = await platform.ObtainCodeAsync(phone, "register");

        var responses = await Task.WhenAll(passwords.Select(password =>
            platform.Client().PostAsJsonAsync("/v1/users", new { phone, password, nickname = "racer", verificationCode = code })));
        // Behind the code, the phone index alone decides between claims that race.
        var index = platform.Grains.GetGrain<IPhoneIndexGrain>(Hasher().IndexKey(UserApiClient.NewPhone()));
        var claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => index.Claim(EntityId.New(EntityId.UserPrefix))));

        Assert.Equal(1, responses.Count(response => response.StatusCode == HttpStatusCode.Created));
        Assert.Equal(9, responses.Count(response => response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.BadRequest));
        Assert.Equal(1, claims.Count(claimed => claimed));
        var won = Array.FindIndex(responses, response => response.StatusCode == HttpStatusCode.Created);
        var winner = (await responses[won].Content.ReadFromJsonAsync<Dictionary<string, string>>())!["userId"];
        var session = await platform.SignInAsync(new RegisteredUser(winner, phone, passwords[won]));
        Assert.Equal(winner, session.UserId);
    }

    // P4.4: signing in to a number claimed by a registration whose account was not written yet answered 404, where every
    // other wrong sign-in is 401: it told that the number was being registered.
    [Fact]
    public async Task P4_4_signing_in_to_a_claimed_number_without_an_account_is_401_like_any_wrong_password()
    {
        var phone = UserApiClient.NewPhone();
        Assert.True(await platform.Grains.GetGrain<IPhoneIndexGrain>(Hasher().IndexKey(phone)).Claim(EntityId.New(EntityId.UserPrefix)));

        var signIn = await platform.Client().PostAsJsonAsync("/v1/sessions", new { phone, password = "any password at all" });

        Assert.EndsWith("/invalid-credentials", (await signIn.AssertProblemAsync(HttpStatusCode.Unauthorized)).TypeOf(), StringComparison.Ordinal);
    }

    private PhoneHasher Hasher() => ((InProcessSiloHandle)platform.Cluster.Primary!).SiloHost.Services.GetRequiredService<PhoneHasher>();

    [Fact]
    public async Task A_number_whose_registration_was_abandoned_before_the_grace_period_registers()
    {
        var phone = UserApiClient.NewPhone();
        var hasher = ((InProcessSiloHandle)platform.Cluster.Primary!).SiloHost.Services.GetRequiredService<PhoneHasher>();
        // The claim of a registration that died before creating its account, made longer ago than the grace period.
        var abandoned = new GrainState<PhoneIndexState>(new PhoneIndexState
        {
            UserId = EntityId.New(EntityId.UserPrefix),
            ClaimedAt = DateTimeOffset.UtcNow - PhoneIndexGrain.ClaimGracePeriod - TimeSpan.FromMinutes(1),
        });
        await platform.Storage().WriteStateAsync("phone-index", GrainId.Create("phoneindex", hasher.IndexKey(phone)), abandoned);

        var code = await platform.ObtainCodeAsync(phone, "register");

        var response = await platform.Client().PostAsJsonAsync("/v1/users", new { phone, password = "long enough", nickname = "late", verificationCode = code });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task P1_1_the_password_is_stored_only_as_a_salted_slow_hash()
    {
        var user = await platform.RegisterUserAsync();

        var payload = await platform.Database.ScalarAsync<string>(
            "SELECT convert_from(payload, 'UTF8') FROM orleans_storage WHERE grain_id_string = $1", user.UserId);
        var stored = await platform.ReadAsync<UserState>("user", "user", user.UserId);

        Assert.NotNull(payload);
        Assert.DoesNotContain(user.Password, payload, StringComparison.Ordinal);
        // Identity's v3 format (0x01 marker): PBKDF2 with a per-password salt and 100,000 iterations.
        Assert.Equal(0x01, Convert.FromBase64String(stored.PasswordHash)[0]);
        Assert.True(Passwords.Verify(stored.PasswordHash, user.Password) != Microsoft.AspNetCore.Identity.PasswordVerificationResult.Failed);
    }

    [Fact]
    public async Task P1_1_no_phone_number_appears_in_a_grain_key_or_reminder()
    {
        var user = await platform.RegisterUserAsync();

        var inKeys = await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM orleans_storage WHERE position($1 in grain_id_string) > 0", user.Phone);
        var inReminders = await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM orleans_reminders WHERE position($1 in grain_id) > 0 OR position($1 in reminder_name) > 0", user.Phone);

        Assert.Equal(0L, inKeys);
        Assert.Equal(0L, inReminders);
    }

    [Fact]
    public async Task The_profile_never_shows_a_password_or_its_hash()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var body = await client.GetStringAsync($"/v1/users/{user.UserId}");

        Assert.DoesNotContain("password", body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(user.Phone, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_users_profile_is_404()
    {
        var me = await platform.RegisterUserAsync();
        var other = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(me);

        var response = await client.GetAsync($"/v1/users/{other.UserId}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Support_reads_a_profile_with_the_number_masked()
    {
        var user = await platform.RegisterUserAsync();
        var support = await Api.PlatformApiExtensions.EnrolStaffAsync(platform, "Support Reader", "support");

        var body = await platform.Client(support.ApiKey).GetStringAsync($"/v1/users/{user.UserId}");

        Assert.DoesNotContain(user.Phone, body, StringComparison.Ordinal);
        Assert.Contains($"*******{user.Phone[7..]}", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_correction_changes_the_profile()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var response = await client.PatchAsJsonAsync($"/v1/users/{user.UserId}", new { nickname = "新名字", avatarUrl = "https://img.example/a.png" });

        response.EnsureSuccessStatusCode();
        var profile = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}");
        Assert.Equal("新名字", profile.GetProperty("nickname").GetString());
        Assert.Equal("https://img.example/a.png", profile.GetProperty("avatarUrl").GetString());
    }

    [Fact]
    public async Task A_correction_to_a_nickname_of_only_spaces_is_400_naming_the_nickname()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var response = await client.PatchAsJsonAsync($"/v1/users/{user.UserId}", new { nickname = "   " });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("nickname", out _), problem.ToString());
    }

    [Fact]
    public async Task P5_1_a_child_under_14_without_guardian_consent_is_403()
    {
        var birthDate = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-10);

        var phone = UserApiClient.NewPhone();
        var code = await platform.ObtainCodeAsync(phone, "register");

        var response = await platform.Client().PostAsJsonAsync("/v1/users", new { phone, password = "long enough", nickname = "kid", birthDate, verificationCode = code });

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.EndsWith("/guardian-consent-required", problem.TypeOf(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task P5_1_a_child_under_14_registers_with_recorded_guardian_consent_and_is_a_minor_pending_the_guardians_code()
    {
        var birthDate = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-10);
        var guardianPhone = UserApiClient.NewPhone();
        var user = await platform.RegisterUserAsync(new
        {
            birthDate,
            guardianConsent = new { guardianName = "王芳", guardianPhone, relationship = "mother" },
        });
        var client = await platform.AsUserAsync(user);

        var profile = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}");
        var stored = await platform.ReadAsync<UserState>("user", "user", user.UserId);

        Assert.True(profile.GetProperty("isMinor").GetBoolean());
        Assert.Equal("pending-guardian", profile.GetProperty("status").GetString());
        Assert.Equal("mother", stored.Guardian?.Relationship);
        Assert.NotEqual(default, stored.Guardian?.RecordedAt);
        Assert.Null(stored.Guardian?.ConfirmedAt);
        // The code to prove the consent went to the guardian's number, not the child's.
        Assert.Matches("^[0-9]{6}$", await platform.LatestCodeAsync(guardianPhone, "guardian-consent"));
    }

    [Fact]
    public async Task P5_1_a_16_year_old_needs_no_guardian_but_is_marked_a_minor()
    {
        var user = await platform.RegisterUserAsync(new { birthDate = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-16) });
        var client = await platform.AsUserAsync(user);

        var profile = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}");

        Assert.True(profile.GetProperty("isMinor").GetBoolean());
    }

    [Fact]
    public async Task Bad_registration_input_stores_nothing()
    {
        var before = await platform.Database.ScalarAsync<long>("SELECT count(*) FROM orleans_storage");
        string[] bodies =
        [
            "{\"phone\":13800138000,\"password\":\"long enough\",\"nickname\":\"n\"}",
            "{\"phone\":\"13800138000\",\"password\":\"long enough\"}",
            "{\"phone\":\"13800138000\",\"password\":\"long enough\",\"nickname\":\"n\",\"birthDate\":\"yesterday\"}",
            "{\"phone\":\"13800138000\",\"password\":\"long enough\",\"nickname\":\"n\",\"avatarUrl\":\"javascript:alert(1)\"}",
            "{\"phone\":\"13800138000\",\"password\":\"long enough\",\"nickname\":\"n\",\"region\":\"US\"}",
        ];

        foreach (var body in bodies)
        {
            var response = await platform.Client().PostAsync("/v1/users", Json.Raw(body));
            await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        }

        Assert.Equal(before, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM orleans_storage"));
    }
}
