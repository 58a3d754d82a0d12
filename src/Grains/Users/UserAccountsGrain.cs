namespace MeiLing.Grains.Users;

[StatelessWorker]
internal sealed class UserAccountsGrain(PhoneHasher phones, TimeProvider clock) : Grain, IUserAccountsGrain
{
    async Task<UserProfile> IUserAccountsGrain.Register(string userId, RegisterUser command)
    {
        // P1.1: a valid mainland mobile number is the minimum for an account.
        if (!PhoneNumber.TryNormalize(command.Phone, out var phone))
        {
            throw DomainException.InvalidField("phone", "invalid-phone", "A mainland mobile number is 11 digits starting 13-19.");
        }

        if (command.Password.Length is < Passwords.MinimumLength or > Passwords.MaximumLength)
        {
            throw DomainException.InvalidField("password", "weak-password", $"Passwords are {Passwords.MinimumLength} to {Passwords.MaximumLength} characters.");
        }

        // P5.1: a child under 14 is not processed without a guardian's recorded consent.
        if (command.BirthDate is { } birthDate
            && Age.YearsOn(birthDate, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)) < Age.GuardianConsentBelow
            && command.GuardianConsent is null)
        {
            throw DomainException.Forbidden("guardian-consent-required", "A user under 14 needs a guardian's consent (P5.1).");
        }

        var index = GrainFactory.GetGrain<IPhoneIndexGrain>(phones.IndexKey(phone));
        if (!await index.Claim(userId))
        {
            throw DomainException.Conflict("phone-taken", "This phone number is already registered.");
        }

        try
        {
            return await GrainFactory.GetGrain<IUserGrain>(userId).Create(new NewUser(command, phone, Passwords.Hash(command.Password)));
        }
        catch
        {
            await index.Release(userId);
            throw;
        }
    }

    async Task<SignedIn> IUserAccountsGrain.SignIn(string phone, string password)
    {
        if (!PhoneNumber.TryNormalize(phone, out var normalized))
        {
            Passwords.SpendDecoyVerification(password);
            throw InvalidCredentials();
        }

        var index = GrainFactory.GetGrain<IPhoneIndexGrain>(phones.IndexKey(normalized));
        if (await index.SignInLockedFor() is { } lockedFor)
        {
            throw new DomainException(DomainErrorKind.TooManyRequests, "too-many-failed-logins",
                "Too many failed sign-ins for this number; try again later.") { RetryAfter = lockedFor };
        }

        var holder = await index.GetHolder();
        int? generation = null;
        if (holder is null)
        {
            Passwords.SpendDecoyVerification(password);
        }
        else
        {
            generation = await GrainFactory.GetGrain<IUserGrain>(holder).VerifyPassword(password);
        }

        if (holder is null || generation is null)
        {
            await index.RecordFailedSignIn();
            throw InvalidCredentials();
        }

        return new SignedIn(holder, generation.Value);
    }

    private static DomainException InvalidCredentials() =>
        new(DomainErrorKind.Unauthorized, "invalid-credentials", "The phone number or password is wrong.");
}
