using System.Diagnostics.CodeAnalysis;
using MeiLing.Grains.Audit;
using MeiLing.Grains.Identity;
using MeiLing.Grains.Consents;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Notifications;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Policies;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Staff;
using MeiLing.Grains.Tickets;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeiLing.Grains.Users;

internal sealed partial class UserGrain(
    [PersistentState("user", StorageNames.Default)] IPersistentState<UserState> state,
    ConsentReceiptStore receipts,
    Webhooks.ConsentWithdrawalNotices consentDecisions,
    LocationSampleStore locations,
    UserTicketStore tickets,
    DisclosureLedgerStore disclosures,
    PhoneHasher phones,
    IOptions<PrivacySettings> privacy,
    ISmsSender sms,
    IOptions<IdentitySettings> identity,
    SiloFacts facts,
    TimeProvider clock,
    ActivatedUserViews views,
    NewOrders newOrders,
    MemberCards.MemberCardIndexStore memberCards,
    ILogger<UserGrain> logger) : Grain, IUserGrain, IRemindable, IIncomingGrainCallFilter
{
    // While a child's account awaits its guardian, this reminder checks whether the days to confirm have run out (P5.1).
    private const string GuardianReminder = "guardian-deadline";

    /// <summary>How long after a pending child's account wakes its deadline reminder is looked for (and put back if lost).</summary>
    private static readonly TimeSpan GuardianReminderCheckDelay = TimeSpan.FromSeconds(1);

    // No number's normal form (those are digits): its codes' grain holds none, so asking it costs what asking a guardian's does.
    private const string NoGuardiansNumber = "no-guardian";

    // The most samples one page reads: a user's page is at most 1,000 (the API's limit), support's whole hour at most 3,600
    // (60 a minute), which it reads when one hour fills a page.
    private const int LocationsShown = 3600;

    private static readonly TimeSpan EndedSessionMargin = TimeSpan.FromMinutes(5);
    private const int DisclosuresShown = 1000;
    private const int MaxAddresses = 100;

    private ConsentBasedRecipients? _consentBasedRecipients;
    private readonly RecentDisclosures _recentDisclosures = new();

    // Consent changes per minute: a rate, kept for the life of the activation only.
    private readonly Allowance _consentChanges = new();

    // Wrong current passwords on a password change, likewise.
    private readonly Allowance _wrongPasswords = new();

    // Location samples per minute, likewise.
    private readonly Allowance _locationSamples = new();

    // Counts taken since the state was last written (UserState.MerchantOrders, UserState.Today): written when the
    // activation leaves, not with each use.
    private bool _countsUnsaved;

    // P4.4, P4.1: a sign-out, a sign-out everywhere or a closing whose write failed, until a write of the state stores it
    // (WriteClosingAsync): put back onto every state read from storage meanwhile, and written as the activation leaves.
    private UnsavedClosing? _unsavedClosing;

    // A write failed and reading the state back failed too (the activation is then dropped): memory holds a change storage
    // refused, which is not written as the activation leaves; an unsaved closing is written onto the state read again
    // (SaveUnsavedAsync).
    private bool _memoryRefused;

    // A made-up user id (a merchant placing orders for it, support reading it) leaves memory in seconds, not the idle age.
    private readonly AbsentRecordLinger _absent = new();

    private string UserId => this.GetPrimaryKeyString();

    private UserState User => state.RecordExists ? state.State : throw DomainException.NotFound("user-not-found", "No such user.");

    private ConsentBasedRecipients ConsentBasedRecipients => _consentBasedRecipients ??= new(disclosures, UserId);

    private IUserInboxGrain Inbox => GrainFactory.GetGrain<IUserInboxGrain>(UserId);

    // The gate decides against the latest receipt per purpose, which lives in the receipts table.
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.RecordExists)
        {
            state.State.LoadConsents(await receipts.CurrentOfUserAsync(UserId));
            if (ForgetImportsWithoutConsent())
            {
                await WriteForgottenImportsAsync();
            }

            if (OwesGuardianErasure(state.State) && !state.State.Closing)
            {
                // P5.1: the deadline is the reminder's to enforce; one lost (a reminders table restored from a backup) left a
                // pending child's account owed an erasure nobody would file. Put back as the account wakes, in a turn of its
                // own after the call that woke it (A.2, *reviewer*): read on that call's path, the reminders table's round
                // trip told whoever timed an anonymous guardian-code ask that the id was a child's awaiting a guardian.
                // Interleaved: a turn of its own would hold the account's next calls behind that round trip a second later.
                this.RegisterGrainTimer(RestoreGuardianReminderAsync, new GrainTimerCreationOptions(GuardianReminderCheckDelay, Timeout.InfiniteTimeSpan) { Interleave = true });
            }
        }

        PublishView();
        _absent.Start(this, () => state.RecordExists);
    }

    // P1.8 (*reviewer*): a withdrawal of third-party sources keeps its receipt first, then forgets the addresses imported
    // under the consent in a write of the state; that write failing (5xx) left them stored for good, as nothing retried it
    // but the same withdrawal sent again, which the privacy center never sends (its form posts the opposite of where the
    // consent stands). Whoever activates the account now finds the consent withdrawn (its receipt is the record) and the
    // imports still held, and forgets them. Not while an earlier version's consent history is still to move to the
    // receipts table (MoveLegacyFieldsAsync): the grant the imports came under may be in it. Memory only; the caller writes.
    private bool ForgetImportsWithoutConsent()
    {
        var user = state.State;
        return user.Addresses.Exists(address => address.Provenance is not null)
            && !(user.Consents.TryGetValue(ConsentPurpose.ThirdPartySources, out var consent) && consent.Granted)
            && user.LegacyFields() is null
            && user.ForgetImportedData();
    }

    // Best effort (P1.8): a write refused here must not leave the account unable to activate. Memory no longer holds the
    // imports, so nothing serves them meanwhile; any later write of the state stores their absence, and the next
    // activation tries again if none does.
    private async Task WriteForgottenImportsAsync()
    {
        try
        {
            await state.WriteStateAsync();
            StateSaved();
        }
        catch (Exception unsaved) when (unsaved is not OperationCanceledException)
        {
            LogImportsNotForgotten(unsaved.GetType().Name);
        }
    }

    // Never moved when it is there: each move would put its next tick off again. Asked again after the look, which other
    // calls interleave with: a guardian's confirmation or the account's erasure meanwhile owes no reminder.
    private async Task RestoreGuardianReminderAsync(CancellationToken cancellationToken)
    {
        bool StillOwed() => state.RecordExists && OwesGuardianErasure(state.State) && !state.State.Closing;
        if (StillOwed() && await this.GetReminder(GuardianReminder) is null && StillOwed())
        {
            await this.RegisterOrUpdateReminder(GuardianReminder, identity.Value.GuardianCheckPeriod, identity.Value.GuardianCheckPeriod);
        }
    }

    async Task<UserProfile> IUserProfile.Create(NewUser user)
    {
        if (state.RecordExists)
        {
            throw DomainException.Conflict("user-exists", "A user with this id already exists.");
        }

        var now = clock.GetUtcNow();
        var isMinor = IsMinorOn(user.Registration.BirthDate, now);
        var awaitsGuardian = user.Registration.BirthDate is { } birthDate && UnderGuardianAge(birthDate, now);
        if (awaitsGuardian)
        {
            // In place before the account: a reminder that finds no account stops itself.
            await this.RegisterOrUpdateReminder(GuardianReminder, identity.Value.GuardianCheckPeriod, identity.Value.GuardianCheckPeriod);
        }

        // P6.1: registering accepts the version the app showed (a later one, which may reduce the user's rights, still waits
        // for its own acceptance), or the current one when the app names none.
        var shown = user.Registration.PolicyVersion;
        var standing = await facts.PolicyStandingAsync(shown);
        var (version, index) = shown is not null && standing.VersionIndex is { } shownIndex
            ? (shown, shownIndex)
            : (standing.CurrentVersion, standing.CurrentIndex);
        state.State.Register(UserId, user, now, isMinor, awaitsGuardian, version, index);
        await WriteOrForgetAsync();
        return state.State.ToProfile(UserId);
    }

    Task<UserProfile?> IUserProfile.GetProfile() =>
        Task.FromResult(state.RecordExists ? state.State.ToProfile(UserId) : null);

    // Correction is a data right: it stays open even before a rights-reducing policy is accepted (P6.1).
    Task<UserProfile> IUserProfile.CorrectProfile(ProfileCorrection correction) => CorrectProfileAsync(correction, countedAgainstTheDay: false);

    // P4.4: a session flipping its nickname at the user's 5,000 calls a second rewrote the sealed state at each.
    Task<UserProfile> IUserProfile.CorrectOwnProfile(ProfileCorrection correction) => CorrectProfileAsync(correction, countedAgainstTheDay: true);

    private async Task<UserProfile> CorrectProfileAsync(ProfileCorrection correction, bool countedAgainstTheDay)
    {
        var user = User;
        var birthDate = correction.BirthDate ?? user.BirthDate;
        if (correction.BirthDate is { } corrected && UnderGuardianAge(corrected, clock.GetUtcNow()) && !user.ChildConsentStands())
        {
            throw DomainException.Forbidden("guardian-consent-required",
                "A user under 14 needs a guardian's consent, proven by the code texted to the guardian when the child registers (P5.1): a birth date under 14 is taken only on an account whose guardian confirmed it, or one still awaiting its guardian.");
        }

        var isMinor = IsMinorOn(birthDate, clock.GetUtcNow());
        if (!user.WouldChange(correction, isMinor))
        {
            return user.ToProfile(UserId);
        }

        if (countedAgainstTheDay)
        {
            // Written with the correction below.
            user.Today.ProfileCorrections.Take(clock.GetUtcNow(), UserQuotas.Day, UserQuotas.ProfileCorrectionsPerDay, "profile corrections");
        }

        user.Correct(correction, isMinor);
        await WriteOrForgetAsync();
        return user.ToProfile(UserId);
    }

    async Task<int?> IUserCredentials.VerifyPassword(string password)
    {
        if (!state.RecordExists)
        {
            // A number claimed for an account not yet written (a registration under way, or one whose write and release
            // both failed): refused as any wrong password is, and as slowly. A 404 here told that the number was being
            // registered.
            Passwords.SpendDecoyVerification(password);
            return null;
        }

        var user = User;
        if (user.Closing)
        {
            // As slowly as a wrong password (*reviewer*): answered at once, the refusal told that the number was registered
            // and that its owner was cancelling the account.
            Passwords.SpendDecoyVerification(password);
            return null;
        }

        switch (Passwords.Verify(user.PasswordHash, password))
        {
            case PasswordVerificationResult.Success:
                return user.SessionGeneration;
            case PasswordVerificationResult.SuccessRehashNeeded:
                user.ChangePassword(Passwords.Hash(password));
                await WriteOrForgetAsync();
                return user.SessionGeneration;
            default:
                return null;
        }
    }

    /// <summary>Refuses a call made under a session of this user that has ended; sessions of others are not its business.</summary>
    public void EnsureSessionCurrent(string userId, int generation, string? sessionId)
    {
        if (userId == UserId && !(state.RecordExists && state.State.IsSessionCurrent(generation, sessionId)))
        {
            throw SessionContext.Ended();
        }
    }

    Task<bool> IUserCredentials.IsSessionCurrent(int generation) =>
        Task.FromResult(state.RecordExists && state.State.IsSessionCurrent(generation, null));

    Task<bool> IUserCredentials.IsSessionOpen(int generation, string? sessionId) =>
        Task.FromResult(state.RecordExists && state.State.IsSessionCurrent(generation, sessionId));

    async Task IUserCredentials.RevokeSessions()
    {
        User.RevokeSessions();
        await WriteClosingAsync();
    }

    async Task IUserCredentials.EndSession(int generation, string sessionId, DateTimeOffset expiresAt)
    {
        // Kept a while past the token's expiry: API hosts accept a token up to 30 s late, by clocks that are not this silo's.
        if (User.EndSession(generation, sessionId, expiresAt + EndedSessionMargin, clock.GetUtcNow()))
        {
            await WriteClosingAsync();
        }
    }

    async Task<SignedIn> IUserCredentials.ChangePassword(string currentPassword, string newPassword)
    {
        var user = User;
        if (user.Closing)
        {
            throw DomainException.Forbidden("account-closing", "This account is being cancelled.");
        }

        var now = clock.GetUtcNow();
        _wrongPasswords.EnsureLeft(now, UserQuotas.WrongPasswordWindow, UserQuotas.WrongPasswordsPerWindow, "wrong current passwords");
        // Refused before any password is checked or hashed: a change beyond the day's costs no work, no text, no audit entry.
        user.PasswordChanges.EnsureLeft(now, UserQuotas.Day, UserQuotas.PasswordChangesPerDay, "password changes");
        if (Passwords.Verify(user.PasswordHash, currentPassword) == PasswordVerificationResult.Failed)
        {
            _wrongPasswords.Take(now, UserQuotas.WrongPasswordWindow, UserQuotas.WrongPasswordsPerWindow, "wrong current passwords");
            throw DomainException.InvalidField("currentPassword", "wrong-password", "The current password is wrong.");
        }

        Passwords.EnsureStrong(newPassword, "newPassword");
        user.PasswordChanges.Take(now, UserQuotas.Day, UserQuotas.PasswordChangesPerDay, "password changes");
        // Every session issued so far ends; the caller's own is issued again under the new generation.
        user.ReplacePassword(Passwords.Hash(newPassword));
        await WriteOrForgetAsync();
        await AuditAsync("user", UserId, "password:changed");
        const string Text = "Your password was changed; every other session was signed out. If this was not you, reset your password.";
        await Inbox.Notify(new UserNotification(NoticeKinds.PasswordChanged, Text, null, now, now));
        // P4.4: texted too. Whoever changed it (someone who learnt the password) has just signed every other session out, so
        // the in-app notice reaches only them; the number reaches the owner, who can reset the password with a code.
        await SendNoticeAsync(user.Phone, Text);
        return new SignedIn(UserId, user.SessionGeneration);
    }

    async Task IUserCredentials.ResetPassword(string passwordHash)
    {
        var user = User;
        if (user.Closing)
        {
            return;
        }

        var now = clock.GetUtcNow();
        const string Text = "Your password was reset with a code sent to this number; every session was signed out.";
        user.ReplacePassword(passwordHash);
        await WriteOrForgetAsync();
        await AuditAsync("identity", "password-resets", "password:reset");
        await Inbox.Notify(new UserNotification(NoticeKinds.PasswordReset, Text, null, now, now));
        await SendNoticeAsync(user.Phone, Text);
    }

    async Task<bool> IUserCredentials.CheckVerificationCode(VerificationPurpose purpose, string code, string? scope) =>
        await Codes(User.Phone).Verify(purpose, code, scope);

    // P1.6: the member is asked on their own phone before staff draw on their card; the number's allowance for the purpose
    // (5 texts in 15 minutes) keeps a till from texting them without end. Kept for calls from silos of the previous release.
    async Task IUserCredentials.SendMemberCode(string scope) =>
        await Codes(User.Phone).Send(User.Phone, VerificationPurpose.MemberCardPayment, UserId, scope);

    // P1.6, P4.4: counted per asking shop, so one shop spending the allowance keeps no other shop's till from the member.
    async Task IUserCredentials.SendMemberCodeForMerchant(string merchantId, string scope) =>
        await Codes(User.Phone).SendOnBehalfOf(merchantId, User.Phone, VerificationPurpose.MemberCardPayment, UserId, scope);

    async Task<bool> IUserCredentials.MatchesMemberCode(string code, string scope) =>
        await Codes(User.Phone).Matches(VerificationPurpose.MemberCardPayment, code, scope);

    // P1.6: a till asking again with another amount made a new scope, and with it five fresh guesses; counted per shop
    // across scopes, a shop's wrong codes are ten a day whatever it asks.
    async Task<bool> IUserCredentials.MatchesMemberCodeForMerchant(string merchantId, string code, string scope) =>
        await Codes(User.Phone).MatchesFor(merchantId, VerificationPurpose.MemberCardPayment, code, scope);

    async Task IUserCredentials.SpendMemberCode(string scope) =>
        await Codes(User.Phone).Spend(VerificationPurpose.MemberCardPayment, scope);

    Task<bool> IUserCredentials.RequiresMemberCode() => Task.FromResult(state.RecordExists && state.State.MemberCodeAlways);

    async Task<bool> IUserCredentials.RequireMemberCode(bool always)
    {
        var user = User;
        if (user.MemberCodeAlways != always)
        {
            if (!always)
            {
                // P4.4 (*reviewer*): each change rewrites the whole sealed record, and a loop of on and off was bounded by
                // nothing but the caller's rate. Turning the code off is counted with the profile's changes (written with
                // this one); turning it on never is, so a copy of the session spending the day cannot keep the member from it.
                user.Today.ProfileCorrections.Take(clock.GetUtcNow(), UserQuotas.Day, UserQuotas.ProfileCorrectionsPerDay, "profile changes");
            }

            user.ChooseMemberCodeAlways(always);
            await WriteOrForgetAsync();
        }

        return user.MemberCodeAlways;
    }

    Task<UserProfile> IUserGuardian.ConfirmGuardian(string verificationCode) => ConfirmGuardianAsync(new GuardianCode(verificationCode));

    Task<UserProfile> IUserGuardian.ConfirmGuardianWith(GuardianCode code) => ConfirmGuardianAsync(code);

    private async Task<UserProfile> ConfirmGuardianAsync(GuardianCode verificationCode)
    {
        var user = User;
        // P5.1: nor once the guardian withdrew. Withdrawn while the account still awaited them, with support's cancellation
        // in front of the platform's erasure, a consent code (the registration's, or one asked for again) answered "active"
        // though nothing may be processed, and stopped the reminder that files the erasure the withdrawal owes.
        if (!user.AwaitingGuardian || user.Guardian is null || user.Closing || GuardianWithdrew(user))
        {
            throw DomainException.Conflict("guardian-not-awaited", "This account does not await a guardian's confirmation.");
        }

        if (clock.GetUtcNow() >= user.RegisteredAt + identity.Value.GuardianConfirmWithin)
        {
            // P5.1: past its window the account is owed its erasure whether or not the deadline's reminder came (lost, or
            // late): a code now activated an account whose data was collected without verifiable consent in time. The
            // erasure is filed here, as the reminder would have, and the confirmation refused.
            await ((IUserGuardian)this).EnforceGuardianDeadline();
            throw DomainException.Conflict("guardian-deadline-passed",
                $"The guardian did not confirm within {identity.Value.GuardianConfirmWithin.TotalDays:0} days; the account's data is being erased.");
        }

        // P5.1: verifiable consent — the code went to the number the guardian gave, for this purpose only.
        if (!PhoneNumber.TryNormalize(user.Guardian.Phone, out var guardianPhone)
            || !await GuardianCodeConfirmsAsync(guardianPhone, verificationCode))
        {
            throw VerificationCodes.Failed();
        }

        // P5.1: the code proves only that the child reached the number. One holding another child's account (a friend of
        // 12, who reads the code out) proves no guardian's consent. Answered as a wrong code is: saying why would tell the
        // child the number is a registered child's.
        if (!await GuardianNumberMayConsentAsync(guardianPhone))
        {
            throw VerificationCodes.Failed();
        }

        var now = clock.GetUtcNow();
        user.ConfirmGuardian(now);
        await WriteOrForgetAsync();
        await AuditAsync("guardian", UserId, "guardian:confirmed");
        await Inbox.Notify(new UserNotification(NoticeKinds.GuardianConfirmed,
            "Your guardian confirmed their consent; your account is now active.", null, now, now));
        await StopGuardianReminderAsync();
        return user.ToProfile(UserId);
    }

    // P5.1: a number nobody's account holds (most parents') or an adult's may consent; one held by a child's account or one
    // being cancelled may not. The index's holder is never this account: registering refuses the child's own number.
    private async Task<bool> GuardianNumberMayConsentAsync(string guardianPhone) =>
        await GrainFactory.GetGrain<IPhoneIndexGrain>(phones.IndexKey(guardianPhone)).GetHolder() is not { } holder
        || (holder != UserId && await GrainFactory.GetGrain<IUserGuardian>(holder).MayStandAsGuardian());

    // P5.1: asked of the account holding a number another child named as their guardian. A child's account by its birth
    // date, by awaiting its own guardian, or by a guardian who still answers for it (by the birth date they consented for,
    // which a child's later correction does not shed), stands as nobody's guardian; nor does an account being cancelled.
    Task<bool> IUserGuardian.MayStandAsGuardian()
    {
        if (!state.RecordExists)
        {
            return Task.FromResult(true);
        }

        var user = state.State;
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var child = user.AwaitingGuardian
            || (user.BirthDate is { } birthDate && UnderGuardianAge(birthDate, now))
            || (user.Guardian is { AnswersUntil: { } answersUntil } guardian && today < answersUntil
                && guardian.ConfirmedAt is not null);
        return Task.FromResult(!child && !user.Closing);
    }

    // P5.1: the code registration texted is this child's (scoped by its id), and so is one asked for again naming the child,
    // so another account naming the same guardian, five wrong codes at a time, cannot burn them. A code asked for without
    // naming a child is still taken (apps written before the child could be named).
    // With the code's verification id (P4.4), the code asked for is tried with attempts of its own, which nobody guessing
    // without the id can burn.
    private Task<bool> GuardianCodeConfirmsAsync(string guardianPhone, GuardianCode verificationCode) =>
        GuardianCodeVerifiesAsync(guardianPhone, VerificationPurpose.GuardianConsent, verificationCode);

    private async Task<bool> GuardianCodeVerifiesAsync(string guardianPhone, VerificationPurpose purpose, GuardianCode presented)
    {
        var codes = Codes(guardianPhone);
        var scoped = presented.VerificationId is { } verificationId
            ? await codes.VerifyIssued(verificationId, purpose, presented.VerificationCode, scope: UserId)
            : await codes.Verify(purpose, presented.VerificationCode, scope: UserId);
        return scoped || await codes.Verify(purpose, presented.VerificationCode, scope: null);
    }

    Task IUserGuardian.SendGuardianCode(string normalizedPhone, VerificationPurpose purpose) =>
        SendGuardianCodeAsync(verificationId: null, normalizedPhone, purpose);

    Task IUserGuardian.IssueGuardianCode(string verificationId, string normalizedPhone, VerificationPurpose purpose) =>
        SendGuardianCodeAsync(verificationId, normalizedPhone, purpose);

    private Task SendGuardianCodeAsync(string? verificationId, string normalizedPhone, VerificationPurpose purpose)
    {
        // The same work for every number, up to the send: the route must not tell a stranger holding a child's id who its
        // guardian is, by its answer or by its time. Nothing is sent when this account's guardian is another number or
        // cannot act now.
        var codes = Codes(normalizedPhone);
        var mayAct = purpose switch
        {
            // P5.1: not once the guardian withdrew, whose consent cannot then be given (ConfirmGuardianAsync). Nothing is
            // texted, and the answer stays the same as for any other number: a 409 here would tell whoever holds the
            // child's id that its guardian withdrew.
            VerificationPurpose.GuardianConsent => state.RecordExists && state.State.AwaitingGuardian && !state.State.Closing
                && !GuardianWithdrew(state.State),
            VerificationPurpose.GuardianWithdrawal => MayWithdraw(out _),
            _ => false,
        };
        if (mayAct && state.State.Guardian is { } guardian
            && PhoneNumber.TryNormalize(guardian.Phone, out var guardianPhone) && guardianPhone == normalizedPhone)
        {
            // Answered before the text is sent, as for any other number: had the answer waited for the code's grain, the
            // text and its audit entry, its time alone would name the guardian. Counted in this child's own allowance, not
            // the number's: a 429 there could not then be read off the number's own sends either. A send the allowance or
            // the SMS provider refuses is dropped; the guardian asks again.
            SendWithoutWaiting(codes.Issue(verificationId ?? VerificationIds.New(), IVerificationCodeGrain.ChildParty(UserId), normalizedPhone, purpose, UserId, scope: UserId));
        }

        return Task.CompletedTask;
    }

    private void SendWithoutWaiting(Task send) =>
        send.ContinueWith(
            static (sent, log) =>
            {
                // Refusals a stranger can cause at will (the allowance) are not worth a warning each.
                var failure = sent.Exception!.GetBaseException();
                var level = failure is DomainException { Kind: DomainErrorKind.TooManyRequests } ? LogLevel.Debug : LogLevel.Warning;
                ((ILogger)log!).Log(level, failure, "A guardian's code was not sent.");
            },
            logger, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    // P5.1: the guardian answers for the child by the birth date they consented for, not by IsMinor, which follows
    // the birth date the child may correct on their own: a child cannot shed the guardian's withdrawal that way.
    // Only a guardian who was asked answers for the account: one awaited (texted at registration) or one who
    // confirmed. A guardian merely named by someone registering as 14 or older, or with no birth date, was never
    // texted and proves nothing; whoever holds that number (a wrong or recycled one) must not close the account.
    private bool MayWithdraw([NotNullWhen(true)] out string? guardianPhone)
    {
        guardianPhone = null;
        return state.RecordExists && state.State.Guardian is { } guardian
            && guardian.AnswersOn(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
            && (state.State.AwaitingGuardian || guardian.ConfirmedAt is not null)
            && PhoneNumber.TryNormalize(guardian.Phone, out guardianPhone);
    }

    Task<DataRightsRequestView> IUserGuardian.WithdrawGuardianConsent(string verificationCode) =>
        WithdrawGuardianConsentAsync(new GuardianCode(verificationCode));

    Task<DataRightsRequestView> IUserGuardian.WithdrawGuardianConsentWith(GuardianCode code) => WithdrawGuardianConsentAsync(code);

    private async Task<DataRightsRequestView> WithdrawGuardianConsentAsync(GuardianCode verificationCode)
    {
        if (!MayWithdraw(out var guardianPhone))
        {
            // A.2, P5.1: the same calls as for a child with a guardian, at a number nobody holds: answered at once, an
            // anonymous caller holding user ids (a merchant, from its orders) told by the time alone which were children's.
            await GuardianCodeVerifiesAsync(NoGuardiansNumber, VerificationPurpose.GuardianWithdrawal, verificationCode);
            throw VerificationCodes.Failed();
        }

        // P5.1: a withdrawal code, asked for to withdraw and texted saying so; never the code the guardian was asked to
        // hand on to confirm (guardian-consent), which whoever was handed it could otherwise spend on closing the account.
        if (!await GuardianCodeVerifiesAsync(guardianPhone, VerificationPurpose.GuardianWithdrawal, verificationCode))
        {
            throw VerificationCodes.Failed();
        }

        var guardian = state.State.Guardian!;

        // P5.1: the guardian's word is kept until the platform's own erasure is filed on it: a cancellation another filed
        // (support's, awaiting the user's confirmation) could still be called off by the child, or expire unconfirmed.
        guardian.WithdrawnAt ??= clock.GetUtcNow();
        await WriteOrForgetAsync();
        // P5.1: confirming stopped the deadline's reminder. Until the platform's erasure is filed (which stops it again), the
        // reminder is what files it: an audit entry or a filing failing below answered the guardian with an error and left
        // nothing to file it but the account's next waking, which steady traffic could put off for good.
        await EnsureGuardianReminderAsync();
        await AuditAsync("guardian", UserId, "guardian:withdrew");
        if (await OpenCancellationAsync() is { } running)
        {
            await EnforceUntilThePlatformsOwnAsync(running);
            return running;
        }

        // P5.1: without the guardian's consent a child's data is not kept. Filed by the platform on the guardian's
        // verified word, so it waits for nobody's further confirmation.
        return await FilePlatformErasureAsync();
    }

    async Task<string?> IUserGuardian.EnforceGuardianDeadline()
    {
        if (!state.RecordExists || !OwesGuardianErasure(state.State) || state.State.Closing)
        {
            await StopGuardianReminderAsync();
            return null;
        }

        var user = state.State;
        if (!GuardianWithdrew(user) && clock.GetUtcNow() < user.RegisteredAt + identity.Value.GuardianConfirmWithin)
        {
            return null;
        }

        // P5.1: data collected without verifiable guardian consent is deleted — by the cancellation erasure, which
        // keeps the request's record without personal data. Filed by the platform, so it needs nobody's confirmation.
        if (await OpenCancellationAsync() is { } open)
        {
            await EnforceUntilThePlatformsOwnAsync(open);
            return open.RequestId;
        }

        return (await FilePlatformErasureAsync()).RequestId;
    }

    // P5.1: a child whose guardian never confirmed in time, or withdrew, is erased on the platform's word.
    private static bool OwesGuardianErasure(UserState user) => user.AwaitingGuardian || GuardianWithdrew(user);

    private static bool GuardianWithdrew(UserState user) => user.Guardian?.WithdrawnAt is not null;

    // The account's open cancellation as its own grain tells it: an entry may name a request a crash kept from being received.
    private async Task<DataRightsRequestView?> OpenCancellationAsync() =>
        state.State.OpenRequests.TryGetValue(DataRightsRequestType.Cancellation, out var open)
        && await GrainFactory.GetGrain<IDataRightsRequestGrain>(open).Get() is { } request && request.Status.IsOpen()
            ? request
            : null;

    // P5.1: only the platform's own cancellation cannot be called off by the child (nor left to expire unconfirmed, as
    // support's awaits the user's word): behind anyone else's, the reminder ticks on, to file the platform's once that
    // one ends without the erasure.
    private async Task EnforceUntilThePlatformsOwnAsync(DataRightsRequestView open)
    {
        if (open.FiledBy == RequestActor.PlatformRole)
        {
            await StopGuardianReminderAsync();
            return;
        }

        await this.RegisterOrUpdateReminder(GuardianReminder, identity.Value.GuardianCheckPeriod, identity.Value.GuardianCheckPeriod);
    }

    // Never moved when it is there, as RestoreGuardianReminderAsync: each move would put its next tick off again.
    private async Task EnsureGuardianReminderAsync()
    {
        if (await this.GetReminder(GuardianReminder) is null)
        {
            await this.RegisterOrUpdateReminder(GuardianReminder, identity.Value.GuardianCheckPeriod, identity.Value.GuardianCheckPeriod);
        }
    }

    private async Task<DataRightsRequestView> FilePlatformErasureAsync()
    {
        var withdrawn = GuardianWithdrew(state.State);
        var filed = await FileRequestAsync(withdrawn
            ? new FileDataRightsRequest(
                DataRightsRequestType.Cancellation, RequestDetails.None, RequestActor.PlatformRole, RequestActor.GuardianWithdrawalFiler,
                "The guardian withdrew their consent (P5.1).", "code texted to the guardian's number")
            : new FileDataRightsRequest(
                DataRightsRequestType.Cancellation, RequestDetails.None, RequestActor.PlatformRole, RequestActor.GuardianDeadlineFiler,
                $"No verifiable guardian consent within {identity.Value.GuardianConfirmWithin.TotalDays:0} days (P5.1).", null));
        await StopGuardianReminderAsync();
        return filed;
    }

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == GuardianReminder)
        {
            await ((IUserGuardian)this).EnforceGuardianDeadline();
        }
    }

    async Task<ConsentReceipt> IUserConsents.SetConsent(ConsentChange change)
    {
        var user = User;
        if (user.Unchanged(change.Purpose, change.Granted, change.PolicyVersion) is { } current)
        {
            // The same answer under the same version again: its receipt already says so; nothing new to keep. P1.2
            // (*reviewer*): a location withdrawal whose erasure failed after its receipt was kept (5xx) is retried with the same
            // answer: the samples are erased again (nothing, when the first erasure went through), not left to the sweep.
            // P4.4 (*reviewer*): only while this activation has not seen them erased since the withdrawal: every repeat was a
            // DELETE at the user's whole rate, where any other repeated answer costs nothing.
            if (change is { Purpose: ConsentPurpose.Location, Granted: false } && !_locationErasedSinceWithdrawal)
            {
                await EraseLocationSamplesAsync();
            }

            if (change is { Purpose: ConsentPurpose.ThirdPartySources, Granted: false } && user.ForgetImportedData())
            {
                await WriteOrForgetAsync();
            }

            return current.ToReceipt(UserId, user.Region);
        }

        if (change.Granted && (user.AwaitingGuardian || GuardianWithdrew(user)))
        {
            // P5.1 (*reviewer*): a child awaiting their guardian granted location or marketing-sharing alone, and the
            // guardian's confirmation, given for the account, then let those grants take effect unseen. A child grants
            // nothing until the guardian confirmed, nor after the guardian withdrew; withdrawing stays open to them.
            throw user.AwaitingGuardian
                ? DomainException.Forbidden("guardian-confirmation-pending", "This account belongs to a child under 14; it grants no consent until the guardian confirms (P5.1).")
                : DomainException.Forbidden("guardian-consent-withdrawn", "This child's guardian withdrew their consent; the account grants no consent (P5.1).");
        }

        // P4.4 (*reviewer*): a version never published is refused before anything is counted: a grant naming one spent the
        // owner's day of changes without a receipt.
        if ((await facts.PolicyStandingAsync(change.PolicyVersion)).VersionIndex is not { } policyIndex)
        {
            throw DomainException.InvalidField("policyVersion", "unknown-policy-version", $"Policy version '{change.PolicyVersion}' was never published.");
        }

        // P4.4: each change is a receipt kept for good (P1.10): at a minute's allowance alone, a stolen session flipping a
        // consent wrote 86,400 of them a day. A withdrawal of what is granted is never held by it (P1.2, *reviewer*): a copied
        // session that spent the day's changes flipping another purpose left the owner's withdrawal 429 for a day, and the
        // processing went on. Each such withdrawal follows a grant that was counted, so receipts stay bounded.
        if (!WithdrawsWhatIsGranted(user, change))
        {
            TakeMinuteAndDay(_consentChanges, privacy.Value.ConsentChangesPerMinute, user.Today.ConsentChanges, privacy.Value.ConsentChangesPerDay, "consent changes");
        }

        var receipt = new ConsentReceipt(
            EntityId.NewInTimeOrder(EntityId.ReceiptPrefix, clock.GetUtcNow()), UserId, change.Purpose, change.Granted, change.PolicyVersion,
            PostgresTime.AsStored(clock.GetUtcNow()), change.CollectionMethod, user.Region);
        // The receipt's insert is the decision: once it commits, the change is durable and takes effect.
        // The user's own state is written only when the decision also accepts a newer policy version.
        // A withdrawal's notices to the recipients of data under the consent are written with it (P3.1).
        await consentDecisions.RecordAsync(receipt, receipt.Granted || await ConsentBasedRecipients.MayExistAsync(receipt.Purpose));
        var changed = user.RecordConsent(receipt, policyIndex);
        if (change is { Purpose: ConsentPurpose.ThirdPartySources, Granted: false })
        {
            // P1.8 (*reviewer*): the addresses imported under the consent went on being kept, and used, after it was
            // withdrawn; they go with it, in the same write (a retried withdrawal, above, forgets what is left).
            changed |= user.ForgetImportedData();
        }

        if (changed)
        {
            try
            {
                await state.WriteStateAsync();
                StateSaved();
            }
            catch
            {
                // The receipt stands; memory may hold what storage does not (imports forgotten, a version accepted): the
                // next activation reads what is stored, and a retried withdrawal forgets the imports then (*reviewer*).
                DeactivateOnIdle();
                throw;
            }
        }

        if (change is { Purpose: ConsentPurpose.Location, Granted: false })
        {
            // P1.2: withdrawing location stops collection (the state above) and erases what was held.
            await EraseLocationSamplesAsync();
        }

        return receipt;
    }

    // Whether the location samples were erased, in this activation, after location was last withdrawn: a repeated withdrawal
    // has nothing left to erase then. Only a withdrawal sets it, and nothing is collected while location is withdrawn.
    private bool _locationErasedSinceWithdrawal;

    private async Task EraseLocationSamplesAsync()
    {
        _locationErasedSinceWithdrawal = false;
        await locations.EraseAsync(UserId);
        _locationErasedSinceWithdrawal = true;
    }

    Task<IReadOnlyList<ConsentStatus>> IUserConsents.GetConsents() => Task.FromResult(User.ConsentStatuses());

    Task<IReadOnlyList<ConsentReceipt>> IUserConsents.GetConsentHistory()
    {
        _ = User;
        return receipts.OfUserAsync(UserId);
    }

    Task<IReadOnlyList<ConsentReceipt>> IUserConsents.GetConsentHistoryPage(int skip, int take, bool newestFirst)
    {
        _ = User;
        return receipts.PageOfUserAsync(UserId, Math.Max(skip, 0), Math.Clamp(take, 1, IUserConsents.MaxHistoryPage) + 1, newestFirst);
    }

    async Task<ProcessingBasis> IUserConsentGate.AuthorizeProcessing(ProcessingRequest request)
    {
        var basis = await AuthorizeAsync(request);
        if (request.PlacingMerchant is { } merchantId)
        {
            // P4.4: a merchant placing orders for the user in a loop is stopped here, in the call the order makes anyway.
            User.MerchantOrders.Take(merchantId, clock.GetUtcNow(), UserQuotas.Day, privacy.Value.MerchantOrdersPerUserPerDay);
            _countsUnsaved = true;
        }

        if (request.AddingTicketMessage)
        {
            // P4.4: the user's messages across their tickets, in the call the message makes anyway; in the user's own state, as
            // location samples' day is, so nothing of it is stored to outlive the account.
            User.Today.TicketMessages.Take(clock.GetUtcNow(), UserQuotas.Day, privacy.Value.TicketMessagesPerUserPerDay, "ticket messages by one user");
            _countsUnsaved = true;
        }

        return basis;
    }

    async Task IUserLocations.RecordLocation(LocationSample sample)
    {
        var basis = await AuthorizeAsync(ProcessingRequest.ForPurpose("collect-location", ConsentPurpose.Location));
        // P4.4: a minute's allowance alone let one session store 86,400 rows a day.
        TakeMinuteAndDay(_locationSamples, privacy.Value.LocationSamplesPerMinute, User.Today.LocationSamples, privacy.Value.LocationSamplesPerDay, "location samples");
        // Stamped by the clock the retention sweep erases by (P1.2): an API host's clock running apart from the silos' kept a
        // sample past its 30 days, or had the sweep take it early.
        await locations.AddAsync(UserId, sample with { At = clock.GetUtcNow() }, basis.ReceiptId!);
    }

    // P4.4: one more of what a user may do so many times a minute and a day, or 429 with neither counted. The day's count
    // is in the user's state, written when the activation leaves (or with any write before): the minute's lives in memory,
    // for an activation outlives a minute.
    // *reviewer*: deletions and cancellations are counted apart from the other requests (UserState.ErasingFilings).
    private Allowance OwnFilingsOf(DataRightsRequestType type) =>
        type is DataRightsRequestType.Deletion or DataRightsRequestType.Cancellation ? User.ErasingFilings : User.RequestFilings;

    private static bool WithdrawsWhatIsGranted(UserState user, ConsentChange change) =>
        !change.Granted && user.Consents.TryGetValue(change.Purpose, out var current) && current.Granted;

    private void TakeMinuteAndDay(Allowance minute, int perMinute, FixedWindowCount day, int perDay, string what)
    {
        var now = clock.GetUtcNow();
        minute.EnsureLeft(now, TimeSpan.FromMinutes(1), perMinute, what);
        day.Take(now, UserQuotas.Day, perDay, what);
        _countsUnsaved = true;
        minute.Take(now, TimeSpan.FromMinutes(1), perMinute, what);
    }

    async Task<IReadOnlyList<LocationSample>> IUserLocations.GetLocations()
    {
        _ = User;
        return await locations.ListAsync(UserId, LocationsShown);
    }

    async Task<LocationPage> IUserLocations.GetLocationPage(DateTimeOffset? before, int limit)
    {
        _ = User;
        return await locations.PageAsync(UserId, before, Math.Clamp(limit, 1, LocationsShown));
    }

    async Task<DisclosureRecord> IUserConsentGate.Disclose(DisclosureRequest request)
    {
        var basis = DisclosureBasis(request);
        var record = new DisclosureRecord(
            request.Recipient, request.RecipientKind, request.Fields, request.Purpose, basis.Basis, basis.At, basis.ReceiptId,
            request.DocumentReference, request.Note, request.OrderId);
        var now = clock.GetUtcNow();
        if (_recentDisclosures.WasRecordedLately(record, now))
        {
            return record;
        }

        await disclosures.AppendAsync(UserId, record);
        _recentDisclosures.Recorded(record, now);
        if (basis.Basis == LawfulBasis.Consent && request.Consent is { } grantedPurpose)
        {
            ConsentBasedRecipients.Recorded(grantedPurpose);
        }

        return record;
    }

    // P3.1, P5.1: a step retried after its hand-over is in the ledger asks again, for what it moves now, and is refused as
    // Disclose refuses it; nothing is recorded twice.
    Task IUserConsentGate.CheckDisclosure(DisclosureRequest request)
    {
        _ = DisclosureBasis(request);
        return Task.CompletedTask;
    }

    // The gate's refusals of a hand-over, and its basis when none refuses it.
    private ProcessingBasis DisclosureBasis(DisclosureRequest request)
    {
        if (User.Closing)
        {
            throw DomainException.Forbidden("account-closing", "This account is being cancelled; nothing more is handed over.");
        }

        // P5.1: without the guardian's consent nothing of a child's is handed over: not to the merchant reading or fulfilling
        // an order placed before, nor to the delivery partner, nor to a successor. From the withdrawal on, not from the erasure
        // it leads to: behind a cancellation support filed, awaiting the child's word, the account is not yet closing. A legal
        // demand needs no consent (P3.3), and a refund gives the child's money back.
        if (request.RecipientKind != RecipientKind.LegalAuthority && !request.ReturnsTheUsersMoney && (User.AwaitingGuardian || GuardianWithdrew(User)))
        {
            throw User.AwaitingGuardian
                ? DomainException.Forbidden("guardian-confirmation-pending", "This account belongs to a child under 14; nothing is handed over until the guardian confirms (P5.1).")
                : DomainException.Forbidden("guardian-consent-withdrawn", "This child's guardian withdrew their consent; nothing more is handed over (P5.1).");
        }

        if (request.RecipientKind is RecipientKind.AdvertisingPartner or RecipientKind.AnalyticsPartner)
        {
            // P1.11, P1.13, P3.1: these partners receive de-identified aggregates only, never a user's data.
            throw DomainException.Forbidden("identifying-data-refused",
                "Advertising and analytics partners receive only de-identified aggregates, never a user's data.");
        }

        if (request.RecipientKind == RecipientKind.LegalAuthority && string.IsNullOrWhiteSpace(request.DocumentReference))
        {
            // P3.3: nothing goes to an authority without the document (subpoena, investigation letter…) that demands it.
            throw DomainException.Forbidden("legal-document-required",
                "A hand-over to a legal authority needs the reference of the document that demands it.");
        }

        if (request.RecipientRegion != User.Region)
        {
            // P4.2: personal data collected in a region stays in it.
            throw DomainException.Forbidden("cross-region-transfer",
                $"The user's data stays in {User.Region}; the recipient is in {request.RecipientRegion}.");
        }

        // No P6.1 standing check: a hand-over that completes an existing contract goes on under the version the user accepted.
        return BasisFor(User, request.Consent, request.Exception, "disclosure");
    }

    async Task<IReadOnlyList<DisclosureRecord>> IUserConsentGate.GetDisclosures()
    {
        _ = User;
        return await disclosures.ListAsync(UserId, DisclosuresShown);
    }

    async Task<DisclosurePage> IUserConsentGate.GetDisclosurePage(DateTimeOffset? before, int limit)
    {
        _ = User;
        return await disclosures.PageAsync(UserId, before, Math.Clamp(limit, 1, DisclosuresShown));
    }

    async Task<IReadOnlyList<SavedAddress>> IUserProfile.ImportAddresses(ImportAddresses import)
    {
        var user = User;
        // P1.8: data from a third party needs the user's consent to third-party sources, and keeps its provenance.
        var basis = await AuthorizeAsync(ProcessingRequest.ForPurpose("import-third-party-data", ConsentPurpose.ThirdPartySources));
        if (user.Addresses.Count + import.Addresses.Count > MaxAddresses)
        {
            throw DomainException.InvalidField("addresses", "too-many-addresses", $"A user keeps at most {MaxAddresses} addresses.");
        }

        var provenance = new Provenance(import.Source, import.Authorization, basis.At, basis.ReceiptId!);
        user.Addresses.AddRange(import.Addresses.Select(address => address with { Provenance = provenance }));
        await WriteOrForgetAsync();
        return user.Addresses;
    }

    // Copies, here and below: a result is serialized after the turn ends, while the next call may change the list.
    Task<IReadOnlyList<SavedAddress>> IUserProfile.GetAddresses() => Task.FromResult<IReadOnlyList<SavedAddress>>([.. User.Addresses]);

    Task IUserTickets.AttachTicket(string ticketId) => AttachTicketAsync(ticketId, TicketAuthor.User);

    Task IUserTickets.AttachTicketOpenedBy(string ticketId, TicketAuthor openedBy) => AttachTicketAsync(ticketId, openedBy);

    private async Task AttachTicketAsync(string ticketId, TicketAuthor openedBy)
    {
        var user = User;
        if (await tickets.IsLinkedAsync(UserId, ticketId))
        {
            return;
        }

        // A ticket holds the user's words: it is processing like any other (P6.1, closing account, region), and
        // linked before it is written, so that an erasure always finds it.
        await AuthorizeAsync(ProcessingRequest.Under("open-ticket", LawfulBasis.ContractNecessity));
        var now = clock.GetUtcNow();
        // Support's openings count apart (as its filings do): an agent opening tickets for the user cannot use up the
        // user's own allowance and keep them from writing to support that day (P1.7), nor the user support's.
        if (openedBy == TicketAuthor.Support)
        {
            user.SupportTicketOpenings.Take(now, UserQuotas.Day, UserQuotas.SupportTicketsPerDay, "tickets opened by support for one user");
        }
        else
        {
            user.TicketOpenings.Take(now, UserQuotas.Day, UserQuotas.TicketsPerDay, "tickets");
        }

        await tickets.LinkAsync(UserId, [ticketId], now);
        await WriteOrForgetAsync();
    }

    async Task<IReadOnlyList<string>> IUserTickets.GetTicketIds()
    {
        _ = User;
        return await tickets.TicketIdsOfUserAsync(UserId);
    }

    async Task<TicketIdPage> IUserTickets.GetNewestTicketIds(int skip, int take)
    {
        _ = User;
        return await tickets.NewestOfUserAsync(UserId, Math.Max(skip, 0), Math.Clamp(take, 1, IUserTickets.MaxTicketPage));
    }

    async Task<DataRightsRequestView> IUserDataRights.FileRequest(FileDataRightsRequest request)
    {
        // A type the platform does not have has no plan and no name: filed, it would sit among the user's requests and
        // fail every read of them. The API refuses one at the edge; this holds for any other caller (an older API host).
        if (!Enum.IsDefined(request.Type))
        {
            throw DomainException.InvalidField("type", "unknown-request-type", "Request types: access, correction, deletion, withdrawal, cancellation.");
        }

        // The user's own allowance: filings by the platform (a guardian's withdrawal, the guardian deadline) take none,
        // so the account cannot spend it to hold off its own erasure. Support's filings take from an allowance of their
        // own, so an agent filing for the user cannot use up the user's and hold off the user's own requests (P8.1).
        DateTimeOffset? supportFilingAt = null;
        DateTimeOffset? ownFilingAt = null;
        if (request.FiledByRole == RequestActor.SupportRole)
        {
            // P1.7, P4.4: the agent's own allowance across users too, so one support key cannot text and queue for
            // user after user. The user's is checked first, so a filing this user refuses spends none of the agent's.
            var now = clock.GetUtcNow();
            User.SupportFilings.EnsureLeft(now, UserQuotas.Day, UserQuotas.SupportRequestsPerDay, SupportFilingsPerUser);
            await GrainFactory.GetGrain<IStaffGrain>(request.FiledById).TakeSupportFiling();
            User.SupportFilings.Take(now, UserQuotas.Day, UserQuotas.SupportRequestsPerDay, SupportFilingsPerUser);
            supportFilingAt = now;
        }
        else
        {
            ownFilingAt = clock.GetUtcNow();
            OwnFilingsOf(request.Type).Take(ownFilingAt.Value, UserQuotas.Day, UserQuotas.RequestsPerDay, "data-rights requests");
        }

        DataRightsRequestView view;
        try
        {
            view = await FileRequestAsync(request);
        }
        catch (DomainException) when (ownFilingAt is { } takenAt)
        {
            // Refused (a request of that type still open, the account closing): nothing was filed, so the user's day keeps
            // the use. Given back in memory only: refused before anything was written, the stored count never had it.
            OwnFilingsOf(request.Type).GiveBack(takenAt);
            throw;
        }
        catch (DomainException) when (supportFilingAt is { } takenAt)
        {
            // Refused (a request of that type still open, the account closing): nothing was filed, so support's counts,
            // the agent's and this user's, are given back (P1.7, P4.4). Any other failure may have filed the request, and
            // keeps them.
            User.SupportFilings.GiveBack(takenAt);
            await WriteOrForgetAsync();
            await GiveBackSupportFilingAsync(request.FiledById);
            throw;
        }

        // A correction that redirects deliveries is the user's own to confirm (P1.5): a code to read out to support would
        // confirm nothing, and would teach the user to read codes out for it.
        if (view.Status == DataRightsRequestStatus.AwaitingConfirmation && !view.ChangesDelivery)
        {
            // Support enters the code the user received (confirm-request), or the user confirms in their own session.
            // The request is filed whatever happens to the text (a spent allowance, a provider failing): the user can
            // still confirm in their own session.
            try
            {
                await Codes(User.Phone).Send(User.Phone, VerificationPurpose.ConfirmRequest, UserId, ConfirmationScope.Of(view.Type, view.RequestId));
            }
            catch (Exception unsent)
            {
                LogTextNotSent("confirm-request", unsent.GetType().Name);
            }
        }

        return view;
    }

    private const string SupportFilingsPerUser = "data-rights requests filed by support for one user";

    // Best effort: a staff grain on a silo without the method (a rolling upgrade) keeps the count, and the refusal stands.
    private async Task GiveBackSupportFilingAsync(string staffId)
    {
        try
        {
            await GrainFactory.GetGrain<IStaffGrain>(staffId).GiveBackSupportFiling();
        }
        catch (Exception failed)
        {
            LogFilingNotGivenBack(failed.GetType().Name);
        }
    }

    private async Task<DataRightsRequestView> FileRequestAsync(FileDataRightsRequest request)
    {
        var user = User;
        if (user.Closing)
        {
            throw DomainException.Conflict("account-closing", "This account is being cancelled.");
        }

        var requestId = EntityId.NewInTimeOrder(EntityId.RequestPrefix, clock.GetUtcNow());
        string? setAside = null;
        if (user.OpenRequests.TryGetValue(request.Type, out var open))
        {
            // P8.1: the entry is written before its request is received, so a crash in between leaves an
            // entry that no request will ever close. Only the request itself knows whether it is open.
            var openRequest = await GrainFactory.GetGrain<IDataRightsRequestGrain>(open).Get();
            if (openRequest is not null && SupersededByTheUsersOwn(openRequest, request))
            {
                setAside = open;
            }
            else if (openRequest is not null && openRequest.Status.IsOpen())
            {
                throw DomainException.Conflict("duplicate-request", $"Request {open} of this type is still open.");
            }

            // Never received: file under its id, so that a Receive still on its way from before the crash
            // lands on this request instead of opening a second one beside it.
            if (openRequest is null)
            {
                requestId = open;
            }
        }

        if (request is { Type: DataRightsRequestType.Withdrawal, NeedsConfirmation: false })
        {
            await WithdrawAtFilingAsync(request.Details.Purposes);
        }

        // No rollback when Receive fails: the entry then names a request that was never received, and the
        // next filing finds that out above.
        user.OpenRequests[request.Type] = requestId;
        await WriteOrForgetAsync();
        var view = await GrainFactory.GetGrain<IDataRightsRequestGrain>(requestId).Receive(UserId, request);
        if (setAside is not null)
        {
            // As soon as the user's own is received: nothing after it in this turn can then leave support's standing.
            SetAsideAsync(setAside).Ignore();
        }

        // Told here rather than by the request, which leaves the first notice to the one who filed it.
        await Inbox.Notify(NoticeKinds.RequestStatusChanged(view.RequestId, Name(view.Type), Name(view.Status), view.ReceivedAt));
        return view;
    }

    // P1.2, P1.8, P1.10 (*reviewer*): the user's own withdrawal stops its flows at once (api.md: "flows stop at once"). Left to
    // the request's first step, location samples and imports still passed the gate after the 202, for a drive period or more
    // when any part of the drive failed. Withdrawn here, in the filing's turn and before the request is filed, through the
    // same SetConsent the consent route calls: one receipt each, the recipients' notices written with it, the samples and
    // imports erased. The request's step then finds each purpose withdrawn and only repeats the same answer, which writes no
    // second receipt and erases only what is left. Support's filing withdraws nothing until it is confirmed (P1.7).
    // A withdrawal that keeps no receipt fails the filing (5xx) before anything of the request is written; those withdrawn
    // before it stay withdrawn, as the user asked, and the user's retry files the request.
    private async Task WithdrawAtFilingAsync(IReadOnlyList<ConsentPurpose> purposes)
    {
        foreach (var purpose in purposes)
        {
            if (User.GrantFor(purpose) is not { } grant)
            {
                // Never granted, or withdrawn already: no flow to stop; whatever a withdrawal left is the request's step's.
                continue;
            }

            try
            {
                await ((IUserConsents)this).SetConsent(new ConsentChange(purpose, false, grant.PolicyVersion, "data-rights-request"));
            }
            catch (Exception failed) when (User.GrantFor(purpose) is null)
            {
                // Its receipt is kept, so the flows have stopped: what failed after it (the samples' erasure, the state's write)
                // is finished by the request's step, which repeats the same answer, as a retried direct withdrawal does. The
                // request is filed next and driven by its durable reminder until that step has run.
                LogWithdrawalLeftToRequest(ConsentPurposes.Name(purpose), failed.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Withdrawal of {Purpose} kept its receipt at filing but its follow-up failed ({Reason}); the request's step finishes it")]
    private partial void LogWithdrawalLeftToRequest(string purpose, string reason);

    // P8.1: a filing support made for the user still waits for the user's word; the user's own filing of that type is
    // that word, on the user's terms. Otherwise one agent's unconfirmed filing, refiled as it expires, would keep the
    // user from their own request of its type for good.
    private static bool SupersededByTheUsersOwn(DataRightsRequestView open, FileDataRightsRequest filing) =>
        filing.FiledByRole == RequestActor.UserRole
        && open.FiledBy == RequestActor.SupportRole
        && open.Status == DataRightsRequestStatus.AwaitingConfirmation;

    // Cancelled in the user's name, as the user's own cancellation of it would be, without waiting for it: the request
    // tells this grain it closed (request-closed) and notifies the user as it is cancelled, and those calls wait for this
    // turn to end; awaited here, they and any other turn of the request calling here (its expiry, a confirmation) would
    // wait on each other. Its entry here is already the user's own filing, so its close changes nothing in this grain.
    // Started meanwhile (its code read out, a second agent's approval), it is no longer the user's to set aside, and runs
    // beside the user's own.
    private async Task SetAsideAsync(string requestId)
    {
        try
        {
            await GrainFactory.GetGrain<IDataRightsRequestGrain>(requestId).Cancel(new RequestActor(RequestActor.UserRole, UserId));
        }
        catch (DomainException started)
        {
            LogNotSetAside(requestId, started.Code);
        }
        catch (Exception failed)
        {
            // Left awaiting confirmation: it expires unconfirmed (7 days) unless someone confirms it, beside the user's own.
            LogSetAsideFailed(requestId, failed.GetType().Name);
        }
    }

    Task<string?> IUserDataRights.OpenRequestOf(DataRightsRequestType type) =>
        Task.FromResult(state.RecordExists && state.State.OpenRequests.TryGetValue(type, out var open) ? open : null);

    async Task IUserDataRights.RequestClosed(DataRightsRequestType type, string requestId)
    {
        if (state.RecordExists && state.State.OpenRequests.TryGetValue(type, out var open) && open == requestId)
        {
            state.State.OpenRequests.Remove(type);
            await WriteOrForgetAsync();
        }

        // P5.1: a child's erasure owed behind another's cancellation is filed as that one ends, in this turn. Left to
        // the reminder's next tick, anyone quicker could file a cancellation in front of it again: a support agent,
        // one after another, would put the erasure off for good. Also when the entry was gone already: the request
        // retries its close when filing the erasure failed the first time, and the erasure must not wait for the tick.
        if (type == DataRightsRequestType.Cancellation && state.RecordExists && OwesGuardianErasure(state.State))
        {
            await ((IUserGuardian)this).EnforceGuardianDeadline();
        }
    }

    async Task<int> IUserDataRights.EraseCategory(ErasableCategory category)
    {
        var erased = User.Erase(category);
        if (erased > 0)
        {
            await WriteOrForgetAsync();
        }

        return erased;
    }

    async Task IUserDataRights.TakeExportDownload()
    {
        User.ExportDownloads.Take(clock.GetUtcNow(), UserQuotas.Hour, UserQuotas.ExportDownloadsPerHour, "export downloads");
        await WriteOrForgetAsync();
    }

    Task<string> IUserDataRights.ExportPersonalData()
    {
        // The profile as the user reads it (when they registered, their region, the policy they accepted, their standing:
        // *reviewer*, the export had only the tagged fields), then every tagged field the profile does not show.
        var exported = PersonalDataExporter.Export(User.ToProfile(UserId), User);
        return Task.FromResult(exported.ToJsonString());
    }

    Task<int?> IUserNoticeOwner.GetAcceptedPolicyIndex() =>
        Task.FromResult(state.RecordExists ? state.State.AcceptedPolicyIndex : (int?)null);

    async Task IUserNoticeOwner.TextNotice(string text)
    {
        if (state.RecordExists)
        {
            await SendNoticeAsync(state.State.Phone, text);
        }
    }

    async Task IUserNoticeOwner.TextOrFail(string text)
    {
        if (state.RecordExists)
        {
            await sms.SendWithinAsync(NoticeText(state.State.Phone, text), identity.Value.SmsSendTimeout);
        }
    }

    async Task<bool> IUserLegacyImport.ImportLegacy() => await MoveLegacyFieldsAsync();

    // Each move is idempotent (a receipt, a notice or a link already there stays as it is), and the fields are
    // dropped only after all three are kept where they live now, so a crash in between moves them again.
    private async Task<bool> MoveLegacyFieldsAsync()
    {
        if (!state.RecordExists || state.State.LegacyFields() is not { } legacy)
        {
            return false;
        }

        var user = state.State;
        await receipts.ImportAsync(legacy.Receipts(UserId, user.Region));
        await Inbox.Import(legacy.Notifications);
        // When each was opened only its ticket knows; their order is kept by id after the registration date.
        await tickets.LinkAsync(UserId, legacy.TicketIds, user.RegisteredAt);
        user.ForgetLegacyFields();
        await WriteOrForgetAsync();
        if (legacy.ConsentHistory.Count > 0)
        {
            user.LoadConsents(await receipts.CurrentOfUserAsync(UserId));
        }

        return true;
    }

    private static SmsMessage NoticeText(string phone, string text) => new(phone, "【美零】" + text, "notice");

    // A notice's text follows what is already done and kept (the in-app notice has it): a provider failing must
    // not turn a finished reset or request into an error its caller retries.
    private async Task SendNoticeAsync(string phone, string text)
    {
        try
        {
            await sms.SendWithinAsync(NoticeText(phone, text), identity.Value.SmsSendTimeout);
        }
        catch (Exception unsent)
        {
            LogTextNotSent("notice", unsent.GetType().Name);
        }
    }

    // P4.1, P8.1 (*reviewer*): a write that failed left its change in memory only. A deletion's retry found nothing left to
    // erase and completed while storage kept the addresses for the next activation; an import's retry added its addresses
    // beside the copy memory still held. The state is read back, or the activation dropped (as StateWrites does), so that a
    // retry does again what storage did not keep. The consents are no part of the state (the receipts are their record):
    // loaded again, as on activation, or the activation dropped. Counts left unsaved are written as it leaves
    // (SaveUnsavedAsync): read back, memory holds no counts storage lacks; not read back, memory is what storage refused.
    // A sign-out, a sign-out everywhere and an account's closing fail closed (*reviewer* of this session's diff): read back
    // after a failed write, the sessions revoked came back to life at once (a stolen token worked again) and a closing
    // account took processing again. What they change only ever moves one way, so memory keeps it (P4.4, P4.1), and
    // remembers it as unsaved: a caller whose token it ended cannot retry it, and the activation leaving, or a later failed
    // write reading the state back, forgot it, and the copied token worked again.
    private async Task WriteClosingAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            _unsavedClosing = UnsavedClosing.Of(state.State);
            throw;
        }

        StateSaved();
    }

    private async Task WriteOrForgetAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            _countsUnsaved = false;
            await ForgetRefusedWriteAsync();
            throw;
        }

        StateSaved();
    }

    private async Task ForgetRefusedWriteAsync()
    {
        try
        {
            await state.ReadStateAsync();
        }
        catch
        {
            _memoryRefused = true;
            DeactivateOnIdle();
            return;
        }

        // P4.4, P4.1: storage's copy lacks a sign-out or closing whose own write failed; memory keeps it still.
        if (_unsavedClosing is { } kept && state.RecordExists)
        {
            state.State.KeepClosing(kept, clock.GetUtcNow());
        }

        try
        {
            state.State.LoadConsents(await receipts.CurrentOfUserAsync(UserId));
        }
        catch
        {
            DeactivateOnIdle();
            return;
        }

        // P1.8: storage's copy may still hold imports whose consent is withdrawn (a withdrawal's write, or the activation's,
        // refused): memory does not serve them again; the next write of the state stores their absence.
        ForgetImportsWithoutConsent();
    }

    // Everything memory held is stored now.
    private void StateSaved()
    {
        _countsUnsaved = false;
        _unsavedClosing = null;
        _memoryRefused = false;
    }

    // P4.4: the merchants' order counts and the day's counts taken since the last write go with the activation's last turn.
    // A silo that dies takes them with it; nobody outside can make one die, and the counts after a restart start again
    // from the state. P4.4, P4.1: so does a sign-out or a closing whose write failed, best effort: the next activation reads
    // the sessions storage holds.
    private async Task SaveUnsavedAsync()
    {
        if (!state.RecordExists || (!_countsUnsaved && _unsavedClosing is null))
        {
            return;
        }

        try
        {
            if (_memoryRefused)
            {
                // Memory holds a change storage refused, never to be written (the counts with it, taken in the turn before the
                // activation was dropped): the closing alone, onto storage's copy.
                if (_unsavedClosing is not { } kept)
                {
                    return;
                }

                await state.ReadStateAsync();
                if (!state.RecordExists)
                {
                    return;
                }

                state.State.KeepClosing(kept, clock.GetUtcNow());
            }

            await state.WriteStateAsync();
            StateSaved();
        }
        catch (Exception unsaved) when (_unsavedClosing is not null)
        {
            LogClosingNotSaved(unsaved.GetType().Name);
        }
        catch (Exception unsaved)
        {
            LogCountsNotSaved(unsaved.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A sign-out or an account's closing whose write had failed was not saved as the activation left ({Reason}): the next activation reads the sessions storage holds")]
    private partial void LogClosingNotSaved(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The user's day counts were not saved as the activation left ({Reason})")]
    private partial void LogCountsNotSaved(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The addresses imported under a withdrawn consent to third-party sources were forgotten but not written as the account activated ({Reason}); the next activation tries again")]
    private partial void LogImportsNotForgotten(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Support's filing {RequestId} had started and was not set aside for the user's own ({Reason}); both go on")]
    private partial void LogNotSetAside(string requestId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Support's filing {RequestId} could not be set aside for the user's own ({Reason}); it awaits confirmation until it expires")]
    private partial void LogSetAsideFailed(string requestId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A refused support filing was not given back to the agent's allowance ({Reason})")]
    private partial void LogFilingNotGivenBack(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Kind} text was not sent ({Reason}); the in-app notice stands")]
    private partial void LogTextNotSent(string kind, string reason);

    async Task<AccountInventory> IUserDataRights.CloseAccount()
    {
        var user = User;
        // Tickets an earlier version linked in this state are in the inventory, and so erased, too.
        await MoveLegacyFieldsAsync();
        user.Close();
        await WriteClosingAsync();
        return new AccountInventory(await tickets.TicketIdsOfUserAsync(UserId));
    }

    async Task<int> IUserDataRights.DeleteAccount()
    {
        if (!state.RecordExists)
        {
            return 0;
        }

        await StopGuardianReminderAsync();
        // The number is free for a new registration once its index entry is gone.
        await GrainFactory.GetGrain<IPhoneIndexGrain>(phones.IndexKey(state.State.Phone)).Release(UserId);
        await state.ClearStateAsync();
        DeactivateOnIdle();
        return 1;
    }

    // The one gate (P1.10, P6.1): every processing of this user's data asks here first, in the same turn.
    private async Task<ProcessingBasis> AuthorizeAsync(ProcessingRequest request)
    {
        var user = User;
        if (request.Region is { } region && region != user.Region)
        {
            // P4.2: no user's data crosses into another region.
            throw DomainException.Invalid("region-mismatch", "The user's data region differs from the region of this processing.");
        }

        if (user.Closing)
        {
            throw DomainException.Forbidden("account-closing", "This account is being cancelled; nothing more is processed.");
        }

        if (user.AwaitingGuardian)
        {
            // P5.1: a child's account is not processed until the guardian has confirmed with a code.
            throw DomainException.Forbidden("guardian-confirmation-pending",
                "This account belongs to a child under 14; nothing is processed until the guardian confirms (P5.1).");
        }

        if (GuardianWithdrew(user))
        {
            // P5.1: from the guardian's withdrawal on, not from the erasure it leads to: behind a cancellation someone else
            // filed (support's, awaiting the child's word for up to its confirmation window), the account is not yet closing.
            throw DomainException.Forbidden("guardian-consent-withdrawn",
                "This child's guardian withdrew their consent; nothing more is processed, and the account is being erased (P5.1).");
        }

        // The silo's copy: a version published since is forgotten everywhere before its publication answers.
        var standing = await facts.PolicyStandingAsync(user.AcceptedPolicyVersion);
        if (!standing.Satisfies)
        {
            throw DomainException.Forbidden(
                "policy-consent-required",
                $"Policy version '{standing.CurrentVersion}' reduces rights; the user must accept it before this processing.");
        }

        return BasisFor(user, request.Purpose, request.Exception, "processing");
    }

    // P1.10: the one place that decides a basis, for the gate and for disclosures: the receipt of a consent the
    // user has granted now, or a named exception that needs none.
    private ProcessingBasis BasisFor(UserState user, ConsentPurpose? purpose, LawfulBasis? exception, string what)
    {
        var now = clock.GetUtcNow();
        if (purpose is { } consent)
        {
            return user.GrantFor(consent) is { } grant
                ? new ProcessingBasis(LawfulBasis.Consent, grant.ReceiptId, now)
                : throw DomainException.Forbidden("consent-required", $"The user has not granted '{ConsentPurposes.Name(consent)}'.");
        }

        return exception is { } named and not LawfulBasis.Consent
            ? new ProcessingBasis(named, null, now)
            : throw DomainException.Invalid("basis-required", $"A {what} needs a consent purpose or a named exception.");
    }

    private IVerificationCodeGrain Codes(string normalizedPhone) =>
        GrainFactory.GetGrain<IVerificationCodeGrain>(phones.IndexKey(normalizedPhone));

    private Task AuditAsync(string actorRole, string actorId, string action) =>
        GrainFactory.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).Append(new AuditEntry(actorRole, actorId, action, UserId, null));

    private async Task StopGuardianReminderAsync()
    {
        if (await this.GetReminder(GuardianReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private static string Name<T>(T value)
        where T : struct, Enum => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    private static bool UnderGuardianAge(DateOnly birthDate, DateTimeOffset now) =>
        Age.YearsOn(birthDate, DateOnly.FromDateTime(now.UtcDateTime)) < Age.GuardianConsentBelow;

    private static bool IsMinorOn(DateOnly? birthDate, DateTimeOffset now) =>
        birthDate is { } date && Age.YearsOn(date, DateOnly.FromDateTime(now.UtcDateTime)) < Age.AdultFrom;
}
