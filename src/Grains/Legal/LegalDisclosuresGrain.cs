using MeiLing.Grains.Audit;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Notifications;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Users;
using Microsoft.Extensions.Logging;

namespace MeiLing.Grains.Legal;

// One activation, not a stateless worker: legal demands are rare, and taking them one at a time means two
// concurrent retries of one demand cannot both find it unfinished and hand it over twice.
internal sealed partial class LegalDisclosuresGrain(
    LegalDisclosureStore store, DisclosureLedgerStore ledger, TimeProvider clock, ILogger<LegalDisclosuresGrain> logger) : Grain, ILegalDisclosuresGrain
{
    private const int MaxPage = 500;

    // Lapsed withholdings told a sweep at a time: each is a notice and a write; the rest wait for the next sweep.
    private const int ReleasedPerSweep = 500;

    // P3.3: the demand is on the record before anything is handed over, then the hand-over passes the user's
    // disclosure gate (which refuses it without a document reference). The same demand again (same user,
    // authority and document) is the same record: a retry finishes what an interrupted one began, and adds nothing.
    async Task<LegalDisclosure> ILegalDisclosuresGrain.Record(string userId, LegalDemand demand)
    {
        if (!ILegalDisclosuresGrain.DocumentTypes.Contains(demand.DocumentType))
        {
            throw DomainException.InvalidField("documentType", "unknown-document-type", $"Document types: {string.Join(", ", ILegalDisclosuresGrain.DocumentTypes)}.");
        }

        // P3.3: a longer name was recorded as begun, then refused by the ledger, for ever (503, and a demand on the review
        // list that nothing was handed over for).
        if (string.IsNullOrWhiteSpace(demand.Authority) || demand.Authority.Length > ILegalDisclosuresGrain.MaxAuthorityLength)
        {
            throw DomainException.InvalidField("authority", "invalid-authority", $"An authority's name of 1-{ILegalDisclosuresGrain.MaxAuthorityLength} characters.");
        }

        var withheldUntil = WithholdingEnd(demand.NotifyUser, demand.WithheldUntil);
        var profile = await GrainFactory.GetGrain<IUserProfile>(userId).GetProfile() ?? throw DomainException.NotFound("user-not-found", "No such user.");
        var disclosureId = EntityId.FromIdempotencyKey(EntityId.LegalDisclosurePrefix, $"{userId}\n{demand.Authority}", demand.DocumentReference);
        // P1.7, P3.3 (*reviewer*): one operator recorded a demand withheld from its user (or backed by no named kind of
        // document) and handed the data over at once, hidden from the user for good: one person, anyone's data, no trace the
        // user could ever read. Such a demand now waits for a second operator, and its withholding ends.
        var approvalNeeded = !demand.NotifyUser || demand.DocumentType == ILegalDisclosuresGrain.OtherDocument;
        var (disclosure, completed) = await store.BeginAsync(
            new LegalDisclosure(disclosureId, userId, demand.Authority, demand.DocumentType, demand.DocumentReference, demand.Fields, demand.NotifyUser,
                PostgresTime.AsStored(clock.GetUtcNow()), ApprovalNeeded: approvalNeeded, WithheldUntil: withheldUntil),
            demand.RecordedBy);
        if (!disclosure.IsTheSameDemandAs(demand))
        {
            // P3.3: the same document again, but for other fields or without telling the user, answered 201 and handed
            // nothing over, wrote nothing to the ledger and nothing to the audit log: a record of a hand-over that is on
            // no record. A document asks for what it asks for once; anything more is another document.
            throw DomainException.Conflict(
                "legal-disclosure-exists", "This document is already recorded for this user, with other fields or another choice of telling them.");
        }

        if (completed)
        {
            return disclosure;
        }

        if (disclosure.Status == LegalDisclosure.AwaitingApproval)
        {
            await AuditAsync(demand.RecordedBy, "legal-disclosure:awaiting-approval", disclosure, new { });
            return disclosure;
        }

        return await HandOverAsync(disclosure, demand.RecordedBy, profile.Region);
    }

    async Task<LegalDisclosure> ILegalDisclosuresGrain.Approve(string disclosureId, string approvedBy, string reason)
    {
        var disclosure = await store.FindAsync(disclosureId) ?? throw NoSuchDemand();
        if (disclosure.CompletedAt is not null)
        {
            return disclosure;
        }

        if (!disclosure.ApprovalNeeded)
        {
            throw DomainException.Conflict("approval-not-needed", "This demand needs no second operator's approval.");
        }

        if (disclosure.RecordedBy == approvedBy)
        {
            throw DomainException.Forbidden("own-demand", "The operator who recorded a demand cannot approve it: a second operator does.");
        }

        await RefuseOneEnrollingTheOtherAsync(disclosure.RecordedBy, approvedBy, "enrolled-the-recorder",
            "A demand is approved by an operator who neither enrolled its recorder nor was enrolled by them.");

        var profile = await GrainFactory.GetGrain<IUserProfile>(disclosure.UserId).GetProfile()
            ?? throw DomainException.Conflict("user-gone", "The user's account is closed: nothing of theirs is left to hand over.");
        // On the record before the approval counts, as support's approvals are: a log that refuses it approves nothing.
        await AuditAsync(approvedBy, "legal-disclosure:approved", disclosure, new { reason = SupportMasking.MaskedForTheRecord(reason) });
        var approved = await store.ApproveAsync(disclosureId, approvedBy, PostgresTime.AsStored(clock.GetUtcNow())) ?? throw NoSuchDemand();
        return await HandOverAsync(approved, approvedBy, profile.Region);
    }

    async Task<LegalDisclosure> ILegalDisclosuresGrain.RenewWithholding(string disclosureId, string renewedBy, DateTimeOffset until, string reason)
    {
        var disclosure = await store.FindAsync(disclosureId) ?? throw NoSuchDemand();
        if (disclosure.UserNotified)
        {
            throw DomainException.Conflict("not-withheld", "This demand is not withheld from its user (or no longer is).");
        }

        // P1.7, P3.3 (*reviewer*): a withholding past its end, not yet released by the hourly sweep, was renewed for another
        // period: a gag kept beyond its stated term. Once it ends it is the user's to be told; a new period is a new demand.
        if (WithholdingEndOf(disclosure) <= clock.GetUtcNow())
        {
            throw WithholdingLapsed();
        }

        if (disclosure.WithholdingSetBy == renewedBy)
        {
            throw DomainException.Forbidden("own-withholding", "The operator who set this withholding running cannot renew it: a second operator does.");
        }

        await RefuseOneEnrollingTheOtherAsync(disclosure.WithholdingSetBy, renewedBy, "enrolled-the-setter",
            "A withholding is renewed by an operator who neither enrolled the one who set it running nor was enrolled by them.");

        var withheldUntil = WithholdingEnd(notifyUser: false, until);
        await AuditAsync(renewedBy, "legal-disclosure:withholding-renewed", disclosure, new { withheldUntil, reason = SupportMasking.MaskedForTheRecord(reason) });
        // The row renews only while its withholding runs at this clock's now (the silos' time, which the sweep releases by),
        // read after the audit entry: a term that ended meanwhile, or a sweep that told the user, renews nothing.
        return await store.RenewWithholdingAsync(disclosureId, renewedBy, withheldUntil!.Value, PostgresTime.AsStored(clock.GetUtcNow()))
            ?? throw ((await store.FindAsync(disclosureId))?.UserNotified == false
                ? WithholdingLapsed()
                : DomainException.Conflict("not-withheld", "This demand is not withheld from its user (or no longer is)."));
    }

    // When a withholding ends: its date, or a year from its record for one with none (LegalDisclosureStore.LapsedAsync).
    private static DateTimeOffset WithholdingEndOf(LegalDisclosure disclosure) =>
        disclosure.WithheldUntil ?? disclosure.At.AddDays(ILegalDisclosuresGrain.MaxWithheldDays);

    private static DomainException WithholdingLapsed() =>
        DomainException.Conflict("withholding-lapsed", "This demand's withholding has ended: its user is told, and it is not renewed.");

    // P3.3 (*reviewer*): a withholding had no end, and nothing ever told the user. Once it lapses (no second operator renewed
    // it), the user is told as if the demand had said so, and their ledger, export and access log show it from then on.
    async Task<int> ILegalDisclosuresGrain.ReleaseLapsed()
    {
        var now = clock.GetUtcNow();
        var released = 0;
        var failures = new List<Exception>();
        foreach (var disclosure in await store.LapsedAsync(now, ReleasedPerSweep))
        {
            // One user's notice that fails (their inbox's write) holds back no other's release: it is tried again next sweep.
            try
            {
                var until = WithholdingEndOf(disclosure);
                await NotifyUserAsync(disclosure, $" It was withheld from you until {until:yyyy-MM-dd}, as the law allowed.");
                await store.ReleaseAsync(disclosure.DisclosureId, PostgresTime.AsStored(now));
                released++;
            }
            catch (Exception failed) when (failed is not OperationCanceledException)
            {
                failures.Add(failed);
            }
        }

        return failures.Count == 0
            ? released
            : throw new AggregateException($"{failures.Count} lapsed legal withholdings were not released; {released} were.", failures);
    }

    // The end of a withholding as the demand asks it: none when the user is told; otherwise required, in the future, and at
    // most a period ahead.
    private DateTimeOffset? WithholdingEnd(bool notifyUser, DateTimeOffset? until)
    {
        if (notifyUser)
        {
            return until is null ? null : throw DomainException.InvalidField("withheldUntil", "not-withheld", "Only a demand the user is not told of has withheldUntil.");
        }

        var now = clock.GetUtcNow();
        if (until is not { } end || end <= now || end > now.AddDays(ILegalDisclosuresGrain.MaxWithheldDays))
        {
            throw DomainException.InvalidField(
                "withheldUntil", "invalid-withholding",
                $"A demand the user is not told of says until when (withheldUntil): after now, at most {ILegalDisclosuresGrain.MaxWithheldDays} days ahead; a second operator may renew it.");
        }

        return PostgresTime.AsStored(end);
    }

    // An approved demand, or one that needs no approval: on the record, through the user's gate, the user told unless
    // withheld, and marked done.
    private async Task<LegalDisclosure> HandOverAsync(LegalDisclosure disclosure, string operatorId, string region)
    {
        var userId = disclosure.UserId;
        // An operator touching a user's data is on the record like support is (P1.7, P3.3), before the hand-over (*reviewer*):
        // written after it, a log that refused the entry left a hand-over in the ledger on no record, its operator told 503.
        // A retry after a failure further on is on the record once more, as every attempt is.
        await AuditAsync(operatorId, "legal-disclosure", disclosure, new { });
        var purpose = $"legal-demand: {disclosure.DocumentType}";
        if (!await ledger.HoldsAsync(userId, disclosure.Authority, purpose, disclosure.DocumentReference))
        {
            try
            {
                await GrainFactory.GetGrain<IUserConsentGate>(userId).Disclose(new DisclosureRequest(
                    disclosure.Authority, RecipientKind.LegalAuthority, disclosure.Fields, purpose, null,
                    LawfulBasis.LegalObligation, region, disclosure.DocumentReference));
            }
            catch (DomainException refused)
            {
                // The record says the attempt handed nothing over (an account closing refuses every hand-over); the
                // operator hears the gate's refusal whether or not the log took that entry.
                await RecordRefusalAsync(operatorId, disclosure.DisclosureId, userId, disclosure.UserNotified, refused.Code);
                throw;
            }
        }

        if (disclosure.UserNotified)
        {
            await NotifyUserAsync(disclosure, "");
        }

        var completedAt = PostgresTime.AsStored(clock.GetUtcNow());
        await store.CompleteAsync(disclosure.DisclosureId, completedAt);
        return disclosure with { CompletedAt = completedAt };
    }

    private Task NotifyUserAsync(LegalDisclosure disclosure, string after) =>
        GrainFactory.GetGrain<IUserNotifications>(disclosure.UserId).Notify(new UserNotification(
            "legal-disclosure",
            $"Under a {disclosure.DocumentType} ({disclosure.DocumentReference}) from {disclosure.Authority}, we handed over: {string.Join(", ", disclosure.Fields)}.{after}",
            disclosure.DisclosureId, clock.GetUtcNow(), null));

    // Every step of a demand is on the user's record; while withheld, it stays out of what the user reads (AuditLogGrain).
    private Task AuditAsync(string operatorId, string action, LegalDisclosure disclosure, object more) =>
        GrainFactory.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).Append(new AuditEntry(
            "operator", operatorId, action, disclosure.UserId,
            System.Text.Json.JsonSerializer.Serialize(new
            {
                // Free text an operator typed, kept in the append-only log past the user's erasure (*reviewer*): the numbers that
                // identify a person masked, as support's and approvers' words are.
                disclosureId = disclosure.DisclosureId, documentType = disclosure.DocumentType,
                documentReference = SupportMasking.MaskedForTheRecord(disclosure.DocumentReference),
                userNotified = disclosure.UserNotified, more,
            })));

    // P1.7, P3.3 (*reviewer*): an operator who mints a second operator key (POST /v1/staff) and approves with it is one
    // person acting twice; so is one whose own key was minted by the first, one at the top of a chain of keys each minted by
    // the last, and one who minted both. As for support's approvals (enrolled-the-filer), both ways.
    private async Task RefuseOneEnrollingTheOtherAsync(string? first, string second, string code, string message)
    {
        if (first is null)
        {
            return;
        }

        switch (await Staff.EnrolmentLineage.KinshipAsync(GrainFactory, first, second))
        {
            case Staff.EnrolmentKinship.FirstAboveSecond or Staff.EnrolmentKinship.SecondAboveFirst:
                throw DomainException.Forbidden(code, message);
            case Staff.EnrolmentKinship.SameEnroller:
                throw DomainException.Forbidden("enrolled-by-the-same-key", "Two operators' keys enrolled under one same staff key are one pair of hands: an operator enrolled apart approves.");
        }
    }

    private static DomainException NoSuchDemand() => DomainException.NotFound("legal-disclosure-not-found", "No such legal demand.");

    Task<IReadOnlyList<LegalDisclosure>> ILegalDisclosuresGrain.Withheld(int limit) => store.WithheldAsync(Math.Clamp(limit, 1, MaxPage));

    // P3.3: the review list pages on by the last row's time and id (the index of withheld rows), so no withheld
    // disclosure stays out of reach behind the oldest page, whoever recorded how many before it.
    async Task<LegalDisclosurePage> ILegalDisclosuresGrain.WithheldPage(string? cursor, int limit)
    {
        var take = Math.Clamp(limit, 1, MaxPage);
        IReadOnlyList<LegalDisclosure> rows;
        if (cursor is null)
        {
            rows = await store.WithheldAsync(take + 1);
        }
        else if (KeysetCursor.TryDecode(cursor, EntityId.LegalDisclosurePrefix, out var at, out var disclosureId))
        {
            rows = await store.WithheldAfterAsync(at, disclosureId, take + 1);
        }
        else
        {
            throw DomainException.InvalidField("cursor", "invalid-cursor", "The cursor is not one this API gave out.");
        }

        var page = rows.Take(take).ToList();
        return new LegalDisclosurePage(page, rows.Count > take ? KeysetCursor.Encode(page[^1].At, page[^1].DisclosureId) : null);
    }

    private async Task RecordRefusalAsync(string operatorId, string disclosureId, string userId, bool userNotified, string refusal)
    {
        try
        {
            await GrainFactory.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).Append(new AuditEntry(
                "operator", operatorId, "legal-disclosure:refused", userId,
                System.Text.Json.JsonSerializer.Serialize(new { disclosureId, refused = refusal, userNotified })));
        }
        catch (Exception unrecorded)
        {
            LogRefusalUnrecorded(disclosureId, refusal, unrecorded.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Legal disclosure {DisclosureId} was refused by the user's gate ({Refusal}) and the audit log did not take the refusal ({ExceptionType})")]
    private partial void LogRefusalUnrecorded(string disclosureId, string refusal, string exceptionType);
}
