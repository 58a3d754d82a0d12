using MeiLing.Grains.Identity;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Staff;
using Microsoft.Extensions.Options;

namespace MeiLing.Grains.Users;

[StatelessWorker]
internal sealed class UserAccountsGrain(PhoneHasher phones, IOptions<IdentitySettings> identity, SiloFacts facts, TimeProvider clock) : Grain, IUserAccountsGrain
{
    async Task<UserProfile> IUserAccountsGrain.Register(string userId, RegisterUser command)
    {
        // P1.1: a valid mainland mobile number is the minimum for an account.
        if (!PhoneNumber.TryNormalize(command.Phone, out var phone))
        {
            throw DomainException.InvalidField("phone", "invalid-phone", "A mainland mobile number is 11 digits starting 13-19.");
        }

        // P4.4: long enough, and not one of the commonest.
        Passwords.EnsureStrong(command.Password);

        // P6.1 (*reviewer*): the version the app showed, when it names one, is the one accepted: a version published while
        // the user read the earlier one, however it reduces their rights, was recorded as accepted unseen.
        if (command.PolicyVersion is { } shown && (await facts.PolicyStandingAsync(shown)).VersionIndex is null)
        {
            throw DomainException.InvalidField("policyVersion", "unknown-policy-version", $"Policy version '{shown}' was never published.");
        }

        // P5.1: a child under 14 is not processed without a guardian's consent, which the guardian proves below.
        var needsGuardian = command.BirthDate is { } birthDate
            && Age.YearsOn(birthDate, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)) < Age.GuardianConsentBelow;
        string? guardianPhone = null;
        if (needsGuardian)
        {
            if (command.GuardianConsent is null)
            {
                throw DomainException.Forbidden("guardian-consent-required", "A user under 14 needs a guardian's consent (P5.1).");
            }

            if (!PhoneNumber.TryNormalize(command.GuardianConsent.GuardianPhone, out guardianPhone))
            {
                throw DomainException.InvalidField("guardianConsent.guardianPhone", "invalid-phone", "A mainland mobile number is 11 digits starting 13-19.");
            }

            if (guardianPhone == phone)
            {
                // P5.1: the guardian's code must reach someone other than the child, or it proves nothing.
                throw DomainException.InvalidField("guardianConsent.guardianPhone", "guardian-phone-is-own", "The guardian's number must not be the child's own.");
            }

            command = command with { GuardianConsent = command.GuardianConsent with { GuardianPhone = guardianPhone } };
        }

        // P1.1: whoever registers a number proves they hold it, so nobody can take a stranger's number.
        if (identity.Value.PhoneVerification
            && (command.VerificationCode is not { } code || !await ProvesAsync(phone, VerificationPurpose.Register, code, command.VerificationId)))
        {
            throw VerificationCodes.Failed();
        }

        var index = GrainFactory.GetGrain<IPhoneIndexGrain>(phones.IndexKey(phone));
        if (!await index.Claim(userId))
        {
            throw DomainException.Conflict("phone-taken", "This phone number is already registered.");
        }

        UserProfile profile;
        try
        {
            profile = await GrainFactory.GetGrain<IUserProfile>(userId).Create(new NewUser(command, phone, Passwords.Hash(command.Password)));
        }
        catch
        {
            await index.Release(userId);
            throw;
        }

        if (guardianPhone is not null)
        {
            // P5.1: the guardian proves their consent with a code to their own number. Should this number have had
            // its fill of codes, the account still exists, and the guardian asks for another code later.
            try
            {
                // Scoped to this child: another account naming the same guardian cannot spend its attempts on this code.
                // Counted as the child's, as every later code naming it is, not in the number's own allowance: a stranger's
                // plain asks for the number found one fewer left, and so learnt that someone had just named it a guardian.
                await Codes(guardianPhone).Issue(
                    VerificationIds.New(), IVerificationCodeGrain.ChildParty(userId), guardianPhone, VerificationPurpose.GuardianConsent, userId, scope: userId);
            }
            catch (DomainException limited) when (limited.Kind == DomainErrorKind.TooManyRequests)
            {
            }
        }

        return profile;
    }

    async Task<string?> IUserAccountsGrain.FindByPhoneForSupport(string phone, string staffId)
    {
        // A malformed number asks the index nothing and is not counted (an agent's typo); any other look-up is
        // counted before the index is asked, so a refused one tells nothing.
        if (!PhoneNumber.TryNormalize(phone, out _))
        {
            return null;
        }

        // P1.7: guessing a number's hidden digits misses on nearly every try; a caller's own number is found. The miss is
        // counted with the look-up, in one turn of the agent's grain, and given back when a user is found (*reviewer*):
        // this worker runs look-ups side by side, and a check here before the look-up with a count after it let
        // concurrent look-ups past the day's misses. A look-up that fails, or whose miss is not given back, stays a miss.
        var staff = GrainFactory.GetGrain<IStaffGrain>(staffId);
        var missCountedAt = await staff.TakePhoneLookupCountingMiss();
        var userId = await ((IUserAccountsGrain)this).FindByPhone(phone);
        if (userId is not null)
        {
            await staff.GiveBackPhoneLookupMiss(missCountedAt);
        }

        return userId;
    }

    Task<string?> IUserAccountsGrain.FindByPhone(string phone) =>
        PhoneNumber.TryNormalize(phone, out var normalized)
            ? GrainFactory.GetGrain<IPhoneIndexGrain>(phones.IndexKey(normalized)).GetHolder()
            : Task.FromResult<string?>(null);

    async Task<SignedIn> IUserAccountsGrain.SignIn(string phone, string password)
    {
        if (!PhoneNumber.TryNormalize(phone, out var normalized))
        {
            Passwords.SpendDecoyVerification(password);
            throw InvalidCredentials();
        }

        var index = GrainFactory.GetGrain<IPhoneIndexGrain>(phones.IndexKey(normalized));
        var admission = await index.AdmitSignIn();
        if (admission.LockedFor is { } lockedFor)
        {
            throw new DomainException(DomainErrorKind.TooManyRequests, "too-many-failed-logins",
                "Too many failed sign-ins for this number; try again later.") { RetryAfter = lockedFor };
        }

        // Counted as failed from here on: only the right password, checked below, is forgiven.
        var holder = admission.Holder;
        int? generation = null;
        if (holder is null)
        {
            Passwords.SpendDecoyVerification(password);
        }
        else
        {
            generation = await GrainFactory.GetGrain<IUserCredentials>(holder).VerifyPassword(password);
        }

        if (holder is null || generation is null)
        {
            throw InvalidCredentials();
        }

        await index.ForgiveSignIn(admission.Attempt);
        return new SignedIn(holder, generation.Value);
    }

    // Sent for any valid number, registered or not: the answer is the same either way.
    async Task IUserAccountsGrain.SendCode(string phone, VerificationPurpose purpose)
    {
        var normalized = RequestableNumber(phone, purpose);
        await Codes(normalized).Send(normalized, purpose, null);
    }

    async Task IUserAccountsGrain.IssueCode(string verificationId, string phone, VerificationPurpose purpose)
    {
        var normalized = RequestableNumber(phone, purpose);
        await Codes(normalized).Issue(verificationId, party: null, normalized, purpose, subjectUserId: null, scope: null);
    }

    async Task IUserAccountsGrain.AskCode(CodeAsked asked)
    {
        var normalized = RequestableNumber(asked.Phone, asked.Purpose);
        await Codes(normalized).IssueAsked(asked with { Phone = normalized });
    }

    // P5.1: a guardian's code named for its child is that child's alone; the child's grain knows its guardian's number.
    async Task IUserAccountsGrain.SendGuardianCode(string phone, VerificationPurpose purpose, string childUserId) =>
        await GrainFactory.GetGrain<IUserGuardian>(childUserId).SendGuardianCode(GuardianNumber(phone, purpose), purpose);

    async Task IUserAccountsGrain.IssueGuardianCode(string verificationId, string phone, VerificationPurpose purpose, string childUserId) =>
        await GrainFactory.GetGrain<IUserGuardian>(childUserId).IssueGuardianCode(verificationId, GuardianNumber(phone, purpose), purpose);

    private static string RequestableNumber(string phone, VerificationPurpose purpose)
    {
        var normalized = ValidNumber(phone);
        // A confirm-request code is texted when support files a request for the user, for that request alone:
        // asked for by anyone, it would only spend the number's allowance and text its owner for nothing.
        if (purpose is VerificationPurpose.ConfirmRequest or VerificationPurpose.MemberCardPayment)
        {
            throw DomainException.InvalidField("purpose", "purpose-not-requestable",
                $"{VerificationCodes.Name(purpose)} codes are sent for the request or the payment they confirm; they cannot be asked for.");
        }

        return normalized;
    }

    private static string GuardianNumber(string phone, VerificationPurpose purpose)
    {
        var normalized = ValidNumber(phone);
        if (purpose is not (VerificationPurpose.GuardianConsent or VerificationPurpose.GuardianWithdrawal))
        {
            throw DomainException.InvalidField("userId", "purpose-not-for-a-child",
                "Only guardian-consent and guardian-withdrawal codes name a child.");
        }

        return normalized;
    }

    private static string ValidNumber(string phone) =>
        PhoneNumber.TryNormalize(phone, out var normalized)
            ? normalized
            : throw DomainException.InvalidField("phone", "invalid-phone", "A mainland mobile number is 11 digits starting 13-19.");

    async Task IUserAccountsGrain.ResetPassword(string phone, string verificationCode, string newPassword) =>
        await ResetPasswordAsync(new PasswordReset(phone, verificationCode, newPassword));

    Task<SignedIn?> IUserAccountsGrain.ResetPasswordWith(PasswordReset reset) => ResetPasswordAsync(reset);

    private async Task<SignedIn?> ResetPasswordAsync(PasswordReset reset)
    {
        if (!PhoneNumber.TryNormalize(reset.Phone, out var normalized))
        {
            throw VerificationCodes.Failed();
        }

        Passwords.EnsureStrong(reset.NewPassword, "newPassword");
        if (!await ProvesAsync(normalized, VerificationPurpose.ResetPassword, reset.VerificationCode, reset.VerificationId))
        {
            throw VerificationCodes.Failed();
        }

        // A number without an account gets the same answer: whoever holds the code holds the number, but the
        // route must not become a way to learn which numbers are registered from someone else's code.
        var index = GrainFactory.GetGrain<IPhoneIndexGrain>(phones.IndexKey(normalized));
        if (await index.GetHolder() is not { } holder)
        {
            return null;
        }

        var credentials = GrainFactory.GetGrain<IUserCredentials>(holder);
        await credentials.ResetPassword(Passwords.Hash(reset.NewPassword));
        await index.ClearFailedSignIns();
        // P4.4: signed in here, not through the sign-in the number's lock may refuse again: a stranger's wrong passwords
        // would otherwise lock its owner out again the moment the reset lifted the lock. The new password is checked as a
        // sign-in checks it, so an account that may not sign in (one closing) gets no session here either.
        return reset.SignIn && await credentials.VerifyPassword(reset.NewPassword) is { } generation
            ? new SignedIn(holder, generation)
            : null;
    }

    // P4.4: with the id its send handed out, the code alone is tried, with its own attempts; without, any live code.
    private Task<bool> ProvesAsync(string normalizedPhone, VerificationPurpose purpose, string code, string? verificationId) =>
        verificationId is null
            ? Codes(normalizedPhone).Verify(purpose, code)
            : Codes(normalizedPhone).VerifyIssued(verificationId, purpose, code, scope: null);

    private IVerificationCodeGrain Codes(string normalizedPhone) =>
        GrainFactory.GetGrain<IVerificationCodeGrain>(phones.IndexKey(normalizedPhone));

    private static DomainException InvalidCredentials() =>
        new(DomainErrorKind.Unauthorized, "invalid-credentials", "The phone number or password is wrong.");
}
