using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using MeiLing.Grains.Audit;
using MeiLing.Grains.Identity;
using MeiLing.Tests.Api;
using MeiLing.Tests.DataRights;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MeiLing.Tests.Users;

/// <summary>
/// P1.1, P4.4: one-time codes prove a phone before it is registered or its password reset; passwords follow the
/// rules; a change or reset ends the other sessions.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class IdentityTests(PlatformFixture platform)
{
    private const string NewPassword = "a fresh passphrase";

    [Fact]
    public async Task P1_1_asking_for_a_code_is_202_with_the_same_answer_whether_or_not_the_number_is_registered()
    {
        var registered = await platform.RegisterUserAsync();

        var forRegistered = await platform.Client().PostAsJsonAsync("/v1/verification-codes", new { phone = registered.Phone, purpose = "register" });
        var forStranger = await platform.Client().PostAsJsonAsync("/v1/verification-codes", new { phone = UserApiClient.NewPhone(), purpose = "register" });

        Assert.Equal(HttpStatusCode.Accepted, forRegistered.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, forStranger.StatusCode);
        // Each answer is a fresh random id and nothing else, so neither says anything about the number.
        var ids = new[] { await forRegistered.Content.ReadFromJsonAsync<JsonElement>(), await forStranger.Content.ReadFromJsonAsync<JsonElement>() };
        Assert.All(ids, id => Assert.Equal(["verificationId"], id.EnumerateObject().Select(property => property.Name)));
        Assert.All(ids, id => Assert.Matches("^vrf_[0-9a-f]{32}$", id.GetProperty("verificationId").GetString()));
        Assert.NotEqual(ids[0].GetProperty("verificationId").GetString(), ids[1].GetProperty("verificationId").GetString());
    }

    [Fact]
    public async Task P1_1_a_code_request_for_a_number_that_is_not_a_mainland_mobile_or_an_unknown_purpose_is_400()
    {
        var badPhone = await platform.Client().PostAsJsonAsync("/v1/verification-codes", new { phone = "12800138000", purpose = "register" });
        var badPurpose = await platform.Client().PostAsJsonAsync("/v1/verification-codes", new { phone = UserApiClient.NewPhone(), purpose = "anything" });

        await badPhone.AssertProblemAsync(HttpStatusCode.BadRequest);
        await badPurpose.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task P1_1_registering_without_a_code_is_400_verification_failed()
    {
        var response = await platform.Client().PostAsJsonAsync("/v1/users", new { phone = UserApiClient.NewPhone(), password = "long enough", nickname = "n" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.EndsWith("/verification-failed", problem.TypeOf(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task P1_1_a_wrong_code_is_400_and_the_right_one_then_registers()
    {
        var phone = UserApiClient.NewPhone();
        var code = await platform.ObtainCodeAsync(phone, "register");

        var wrong = await Register(phone, Wrong(code));
        var right = await Register(phone, code);

        Assert.EndsWith("/verification-failed", (await wrong.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
    }

    [Fact]
    public async Task P1_1_a_code_for_another_purpose_or_another_number_does_not_register()
    {
        var phone = UserApiClient.NewPhone();
        var other = UserApiClient.NewPhone();
        var resetCode = await platform.ObtainCodeAsync(phone, "reset-password");
        var othersCode = await platform.ObtainCodeAsync(other, "register");

        var withResetCode = await Register(phone, resetCode);
        var withOthersCode = await Register(phone, othersCode);

        await withResetCode.AssertProblemAsync(HttpStatusCode.BadRequest);
        await withOthersCode.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Created, (await Register(other, othersCode)).StatusCode);
    }

    [Fact]
    public async Task P1_1_after_five_wrong_attempts_the_sixth_fails_even_with_the_right_code()
    {
        var phone = UserApiClient.NewPhone();
        var code = await platform.ObtainCodeAsync(phone, "register");

        for (var attempt = 0; attempt < 5; attempt++)
        {
            await (await Register(phone, Wrong(code))).AssertProblemAsync(HttpStatusCode.BadRequest);
        }

        var sixth = await Register(phone, code);

        Assert.EndsWith("/verification-failed", (await sixth.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task P1_1_a_code_registers_once_even_when_sent_concurrently()
    {
        var phone = UserApiClient.NewPhone();
        var code = await platform.ObtainCodeAsync(phone, "register");

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Register(phone, code)));

        Assert.Equal(1, responses.Count(response => response.StatusCode == HttpStatusCode.Created));
        Assert.Equal(4, responses.Count(response => response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task P4_4_codes_to_one_number_are_limited_and_every_code_sent_is_audited_without_the_code()
    {
        var phone = UserApiClient.NewPhone();
        var codes = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            codes.Add(await platform.ObtainCodeAsync(phone, "reset-password"));
        }

        var sixth = await platform.Client().PostAsJsonAsync("/v1/verification-codes", new { phone, purpose = "reset-password" });

        await sixth.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(sixth.Headers.RetryAfter is not null);
        var sent = await platform.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'verification-code:sent'");
        Assert.True(sent >= 5);
        var details = await platform.Database.ScalarAsync<string>(
            "SELECT string_agg(coalesce(detail, '') || actor_id || action, ' ') FROM audit_log WHERE action = 'verification-code:sent'");
        Assert.All(codes, code => Assert.DoesNotContain(code, details!, StringComparison.Ordinal));
        Assert.DoesNotContain(phone, details!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task P4_4_a_stranger_spending_one_purposes_codes_does_not_stop_the_owner_asking_for_another()
    {
        var owner = await platform.RegisterUserAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await SendCode(owner.Phone, "guardian-consent")).StatusCode);
        }

        var spent = await SendCode(owner.Phone, "guardian-consent");
        var reset = await SendCode(owner.Phone, "reset-password");

        await spent.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.Accepted, reset.StatusCode);
    }

    [Fact]
    public async Task P4_4_a_stranger_asking_again_for_the_same_number_leaves_the_owners_live_code_good()
    {
        var phone = UserApiClient.NewPhone();
        var ownersCode = await platform.ObtainCodeAsync(phone, "register");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await SendCode(phone, "register")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Created, (await Register(phone, ownersCode)).StatusCode);
    }

    [Fact]
    public async Task P4_4_asking_again_for_a_code_buys_a_guesser_no_more_guesses()
    {
        var phone = UserApiClient.NewPhone();
        var first = await platform.ObtainCodeAsync(phone, "register");
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await (await Register(phone, Wrong(first))).AssertProblemAsync(HttpStatusCode.BadRequest);
        }

        var second = await platform.ObtainCodeAsync(phone, "register");
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await (await Register(phone, Wrong(first))).AssertProblemAsync(HttpStatusCode.BadRequest);
        }

        // Five wrong guesses across both codes: neither is good any more.
        await (await Register(phone, second)).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await Register(phone, first)).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task P4_4_a_confirm_request_code_cannot_be_asked_for_anonymously()
    {
        var user = await platform.RegisterUserAsync();

        var response = await SendCode(user.Phone, "confirm-request");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.EndsWith("/purpose-not-requestable", problem.TypeOf(), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty("purpose", out _));
        var outbox = await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/sandbox/sms?phone={user.Phone}");
        Assert.DoesNotContain(outbox.GetProperty("items").EnumerateArray(), message => message.GetProperty("purpose").GetString() == "confirm-request");
    }

    [Fact]
    public async Task P4_4_only_an_operator_reads_the_sandbox_outbox()
    {
        var support = await platform.EnrolStaffAsync("Outbox Reader", "support");

        var asSupport = await platform.Client(support.ApiKey).GetAsync("/v1/sandbox/sms");
        var anonymous = await platform.Client().GetAsync("/v1/sandbox/sms");
        var asOperator = await platform.Operator().GetAsync("/v1/sandbox/sms?limit=5");

        await asSupport.AssertProblemAsync(HttpStatusCode.Forbidden);
        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, asOperator.StatusCode);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("12345678")]
    [InlineData("Iloveyou")]
    public async Task P4_4_one_of_the_commonest_passwords_is_400_saying_so(string password)
    {
        var phone = UserApiClient.NewPhone();
        var code = await platform.ObtainCodeAsync(phone, "register");

        var response = await platform.Client().PostAsJsonAsync("/v1/users", new { phone, password, nickname = "n", verificationCode = code });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.EndsWith("/weak-password", problem.TypeOf(), StringComparison.Ordinal);
        Assert.Contains("commonest", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task P4_4_changing_the_password_ends_every_other_session_and_renews_this_one()
    {
        var user = await platform.RegisterUserAsync();
        var mine = await platform.AsUserAsync(user);
        var other = await platform.AsUserAsync(user);

        var changed = await mine.PostAsJsonAsync($"/v1/users/{user.UserId}/password", new { currentPassword = user.Password, newPassword = NewPassword });
        var renewed = changed.Headers.GetValues("X-Session-Token").Single();
        var renewedClient = platform.Client();
        renewedClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", renewed);

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Contains(changed.Headers.GetValues("Set-Cookie"), cookie => cookie.StartsWith("meiling_session=", StringComparison.Ordinal));
        await (await other.GetAsync($"/v1/users/{user.UserId}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await mine.GetAsync($"/v1/users/{user.UserId}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await renewedClient.GetAsync($"/v1/users/{user.UserId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.Client().PostAsJsonAsync("/v1/sessions", new { phone = user.Phone, password = user.Password })).StatusCode);
        await platform.SignInAsync(user with { Password = NewPassword });
        var notices = await renewedClient.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/notifications");
        Assert.Contains(notices.GetProperty("items").EnumerateArray(), notice => notice.GetProperty("kind").GetString() == "password-changed");
        var audited = await platform.Grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).About(user.UserId, 100);
        Assert.Contains(audited, record => record.Entry.Action == "password:changed");
    }

    // Each change texts the number and writes a lasting audit entry: a session looping on them ran up texts and rows for good.
    [Fact]
    public async Task P4_4_a_user_changes_their_password_at_most_five_times_a_day_and_a_sixth_texts_nothing()
    {
        var user = await platform.RegisterUserAsync();
        var session = await platform.AsUserAsync(user);
        for (var change = 0; change < 5; change++)
        {
            var changed = await session.PostAsJsonAsync($"/v1/users/{user.UserId}/password", new { currentPassword = user.Password, newPassword = user.Password });
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
            session.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", changed.Headers.GetValues("X-Session-Token").Single());
        }

        var textsBefore = (await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/sandbox/sms?phone={user.Phone}")).GetProperty("items").GetArrayLength();
        var sixth = await session.PostAsJsonAsync($"/v1/users/{user.UserId}/password", new { currentPassword = user.Password, newPassword = NewPassword });

        Assert.EndsWith("/quota-exceeded", (await sixth.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.NotNull(sixth.Headers.RetryAfter);
        Assert.Equal(textsBefore, (await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/sandbox/sms?phone={user.Phone}")).GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync($"/v1/users/{user.UserId}")).StatusCode);
        await platform.SignInAsync(user);
    }

    [Fact]
    public async Task P4_4_a_password_change_is_texted_to_the_users_number_where_whoever_changed_it_cannot_hide_it()
    {
        // Someone who learnt the password changes it: every other session, the owner's too, ends (above), so the in-app
        // notice reaches only them. The owner hears of it on their phone, and can reset the password with a code.
        var user = await platform.RegisterUserAsync();

        var changed = await (await platform.AsUserAsync(user)).PostAsJsonAsync(
            $"/v1/users/{user.UserId}/password", new { currentPassword = user.Password, newPassword = NewPassword });

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        var newest = (await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/sandbox/sms?phone={user.Phone}")).GetProperty("items")[0];
        Assert.Equal("notice", newest.GetProperty("purpose").GetString());
        Assert.Contains("password was changed", newest.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    // P1.6 (never block a grain turn on slow I/O, *reviewer*): the user's grain awaited the provider's answer to the
    // change's text inside its turn with no end; a provider that never answered held the change and every call to the user
    // after it (a profile read, a sign-in) for good. The text is given up after the send timeout; the change, done and kept,
    // is answered (its text is best effort), and the user's next call is answered while the provider still says nothing.
    [Fact]
    public async Task P1_6_a_text_the_provider_never_answers_holds_the_users_grain_only_for_the_send_timeout()
    {
        var user = await platform.RegisterUserAsync();
        var session = await platform.AsUserAsync(user);

        using (HeldTexts.Hold(user.Phone))
        {
            // Past the send timeout, well short of the grain call's own (30 s): a change that waited for its text never comes.
            var changed = await session.PostAsJsonAsync($"/v1/users/{user.UserId}/password", new { currentPassword = user.Password, newPassword = NewPassword })
                .WaitAsync(TestSiloConfigurator.SmsSendTimeout + TimeSpan.FromSeconds(10));
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
            var renewed = platform.Client();
            renewed.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", changed.Headers.GetValues("X-Session-Token").Single());

            var profile = await renewed.GetAsync($"/v1/users/{user.UserId}").WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        }
    }

    [Fact]
    public async Task P4_4_a_wrong_current_password_or_a_weak_new_one_is_400_and_changes_nothing()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var wrong = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/password", new { currentPassword = "not the password", newPassword = NewPassword });
        var weak = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/password", new { currentPassword = user.Password, newPassword = "password1" });

        Assert.EndsWith("/wrong-password", (await wrong.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        Assert.EndsWith("/weak-password", (await weak.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/users/{user.UserId}")).StatusCode);
        await platform.SignInAsync(user);
    }

    [Fact]
    public async Task P4_4_a_reset_with_a_code_sets_the_password_ends_every_session_and_lifts_the_sign_in_lock()
    {
        var user = await platform.RegisterUserAsync();
        var session = await platform.AsUserAsync(user);
        for (var i = 0; i < 10; i++)
        {
            await platform.Client().PostAsJsonAsync("/v1/sessions", new { phone = user.Phone, password = "not the password" });
        }

        var locked = await platform.Client().PostAsJsonAsync("/v1/sessions", new { phone = user.Phone, password = user.Password });
        var code = await platform.ObtainCodeAsync(user.Phone, "reset-password");
        var reset = await platform.Client().PostAsJsonAsync("/v1/password-resets", new { phone = user.Phone, verificationCode = code, newPassword = NewPassword });

        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        await (await session.GetAsync($"/v1/users/{user.UserId}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await platform.SignInAsync(user with { Password = NewPassword });
        var outbox = await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/sandbox/sms?phone={user.Phone}");
        Assert.Equal("notice", outbox.GetProperty("items")[0].GetProperty("purpose").GetString());
    }

    [Fact]
    public async Task P4_4_a_burst_of_concurrent_wrong_passwords_has_no_more_of_them_checked_than_the_lock_allows()
    {
        // Sent at once, every guess is under way before any has failed: each must be counted as it is let in.
        var user = await platform.RegisterUserAsync();

        var burst = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ =>
            platform.Client().PostAsJsonAsync("/v1/sessions", new { phone = user.Phone, password = "not the password" })));
        var rightAfterwards = await platform.Client().PostAsJsonAsync("/v1/sessions", new { phone = user.Phone, password = user.Password });

        Assert.Equal(10, burst.Count(response => response.StatusCode == HttpStatusCode.Unauthorized));
        foreach (var refused in burst.Where(response => response.StatusCode != HttpStatusCode.Unauthorized).Append(rightAfterwards))
        {
            Assert.EndsWith("/too-many-failed-logins", (await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task P4_4_a_reset_with_a_wrong_code_or_a_register_code_is_400_and_changes_nothing()
    {
        var user = await platform.RegisterUserAsync();
        var code = await platform.ObtainCodeAsync(user.Phone, "reset-password");
        var registerCode = await platform.ObtainCodeAsync(user.Phone, "register");

        var wrong = await platform.Client().PostAsJsonAsync("/v1/password-resets", new { phone = user.Phone, verificationCode = Wrong(code), newPassword = NewPassword });
        var otherPurpose = await platform.Client().PostAsJsonAsync("/v1/password-resets", new { phone = user.Phone, verificationCode = registerCode, newPassword = NewPassword });

        Assert.EndsWith("/verification-failed", (await wrong.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        Assert.EndsWith("/verification-failed", (await otherPurpose.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        await platform.SignInAsync(user);
    }

    // P4.4: five wrong guesses at a number's reset codes, anonymous, burnt every live code of the purpose: a stranger
    // could spend the code the owner had just been texted, and keep them from resetting a password a stranger locked.
    [Fact]
    public async Task P4_4_a_stranger_guessing_at_a_numbers_reset_codes_cannot_burn_the_code_its_owner_asked_for_with_its_id()
    {
        var user = await platform.RegisterUserAsync();
        var (code, verificationId) = await SendCodeWithIdAsync(user.Phone, "reset-password");

        for (var i = 0; i < IVerificationCodeGrain.MaxAttempts; i++)
        {
            await platform.Client().PostAsJsonAsync("/v1/password-resets", new { phone = user.Phone, verificationCode = Wrong(code), newPassword = NewPassword });
        }

        var burntWithoutTheId = await platform.Client().PostAsJsonAsync("/v1/password-resets", new { phone = user.Phone, verificationCode = code, newPassword = NewPassword });
        var withTheId = await platform.Client().PostAsJsonAsync("/v1/password-resets", new { phone = user.Phone, verificationCode = code, newPassword = NewPassword, verificationId });

        await burntWithoutTheId.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, withTheId.StatusCode);
        await platform.SignInAsync(user with { Password = NewPassword });
    }

    // P4.4: ten wrong passwords in 15 minutes lock a number's sign-ins for everyone, its owner too; a reset lifted the lock,
    // but the stranger locked it again before the owner could sign in. A reset that asks for it now signs its owner in.
    [Fact]
    public async Task P4_4_an_owner_a_stranger_keeps_locked_out_resets_the_password_and_is_signed_in_by_the_reset()
    {
        var user = await platform.RegisterUserAsync();
        await LockSignInsAsync(user.Phone);
        var (code, verificationId) = await SendCodeWithIdAsync(user.Phone, "reset-password");

        var reset = await platform.Client().PostAsJsonAsync("/v1/password-resets", new { phone = user.Phone, verificationCode = code, newPassword = NewPassword, verificationId, signIn = true });
        await LockSignInsAsync(user.Phone);
        var signInLocked = await platform.Client().PostAsJsonAsync("/v1/sessions", new { phone = user.Phone, password = NewPassword });

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var session = await reset.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(user.UserId, session.GetProperty("userId").GetString());
        await signInLocked.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        var owner = platform.Client();
        owner.DefaultRequestHeaders.Authorization = new("Bearer", session.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/v1/users/{user.UserId}")).StatusCode);
    }

    [Fact]
    public async Task P4_4_a_reset_asked_to_sign_in_for_a_number_without_an_account_is_204_and_opens_no_session()
    {
        var phone = UserApiClient.NewPhone();
        var (code, verificationId) = await SendCodeWithIdAsync(phone, "reset-password");

        var reset = await platform.Client().PostAsJsonAsync("/v1/password-resets", new { phone, verificationCode = code, newPassword = NewPassword, verificationId, signIn = true });

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.False(reset.Headers.Contains("Set-Cookie"));
    }

    // P4.4: a code presented with its id has guesses of its own; they must be as few as the purpose's.
    [Fact]
    public async Task P4_4_a_code_presented_with_its_id_takes_five_guesses_and_no_more()
    {
        var user = await platform.RegisterUserAsync();
        var (code, verificationId) = await SendCodeWithIdAsync(user.Phone, "reset-password");
        for (var i = 0; i < IVerificationCodeGrain.MaxAttempts; i++)
        {
            await (await ResetAsync(user.Phone, Wrong(code), verificationId)).AssertProblemAsync(HttpStatusCode.BadRequest);
        }

        var sixthWithTheId = await ResetAsync(user.Phone, code, verificationId);
        var sixthWithoutIt = await platform.Client().PostAsJsonAsync("/v1/password-resets", new { phone = user.Phone, verificationCode = code, newPassword = NewPassword });
        var malformedId = await ResetAsync(user.Phone, code, "vrf_not-one-handed-out");

        Assert.EndsWith("/verification-failed", (await sixthWithTheId.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        Assert.EndsWith("/verification-failed", (await sixthWithoutIt.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        Assert.Contains("verificationId", await malformedId.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await malformedId.AssertProblemAsync(HttpStatusCode.BadRequest);
        await platform.SignInAsync(user);
    }

    // P4.4: with an id, only that id's code was tried: an owner who asked twice and typed the first text's code failed.
    [Fact]
    public async Task P4_4_an_owner_who_asked_twice_may_type_the_first_texts_code_with_the_second_sends_id()
    {
        var user = await platform.RegisterUserAsync();
        var (firstCode, _) = await SendCodeWithIdAsync(user.Phone, "reset-password");
        var (_, secondId) = await SendCodeWithIdAsync(user.Phone, "reset-password");

        var reset = await ResetAsync(user.Phone, firstCode, secondId);

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
    }

    [Fact]
    public async Task P1_1_P4_4_registering_with_the_codes_id_survives_a_stranger_burning_the_numbers_register_codes()
    {
        var phone = UserApiClient.NewPhone();
        var (code, verificationId) = await SendCodeWithIdAsync(phone, "register");
        for (var i = 0; i < IVerificationCodeGrain.MaxAttempts; i++)
        {
            await Register(phone, Wrong(code));
        }

        var registered = await platform.Client().PostAsJsonAsync("/v1/users", new { phone, password = "long enough", nickname = "n", verificationCode = code, verificationId });

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
    }

    [Fact]
    public async Task P4_4_the_privacy_centers_registration_keeps_the_codes_id_so_a_stranger_burning_the_numbers_codes_does_not_stop_it()
    {
        var phone = UserApiClient.NewPhone();
        var browser = platform.Api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var codeSent = await (await browser.PostFormAsync("/privacy/register?handler=Code", new() { ["phone"] = phone })).Content.ReadAsStringAsync();
        var verificationId = Regex.Match(codeSent, "name=\"Input.VerificationId\" value=\"(vrf_[0-9a-f]{32})\"").Groups[1].Value;
        var code = await platform.LatestCodeAsync(phone, "register");
        for (var i = 0; i < IVerificationCodeGrain.MaxAttempts; i++)
        {
            await Register(phone, Wrong(code));
        }

        var registered = await browser.PostFormAsync("/privacy/register", new()
        {
            ["Input.Phone"] = phone, ["Input.VerificationCode"] = code, ["Input.Nickname"] = "小美",
            ["Input.Password"] = "a long passphrase", ["Input.VerificationId"] = verificationId,
        });

        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        Assert.Equal("/privacy", registered.Headers.Location?.OriginalString);
    }

    private async Task<(string Code, string VerificationId)> SendCodeWithIdAsync(string phone, string purpose)
    {
        var sent = await SendCode(phone, purpose);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var verificationId = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verificationId").GetString()!;
        return (await platform.LatestCodeAsync(phone, purpose), verificationId);
    }

    private Task<HttpResponseMessage> ResetAsync(string phone, string code, string verificationId) =>
        platform.Client().PostAsJsonAsync("/v1/password-resets", new { phone, verificationCode = code, newPassword = NewPassword, verificationId });

    private async Task LockSignInsAsync(string phone)
    {
        while ((await platform.Client().PostAsJsonAsync("/v1/sessions", new { phone, password = "not the password" })).StatusCode != HttpStatusCode.TooManyRequests)
        {
        }
    }

    private Task<HttpResponseMessage> Register(string phone, string code) =>
        platform.Client().PostAsJsonAsync("/v1/users", new { phone, password = "long enough", nickname = "n", verificationCode = code });

    private Task<HttpResponseMessage> SendCode(string phone, string purpose) =>
        platform.Client().PostAsJsonAsync("/v1/verification-codes", new { phone, purpose });

    private static string Wrong(string code) => ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
}
