using MeiLing.Grains.Audit;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Notifications;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using Microsoft.Extensions.Logging;

namespace MeiLing.Grains.Legal;

// One activation, not a stateless worker: legal demands are rare, and taking them one at a time means two
// concurrent retries of one demand cannot both find it unfinished and hand it over twice.
internal sealed partial class LegalDisclosuresGrain(
    LegalDisclosureStore store, DisclosureLedgerStore ledger, TimeProvider clock, ILogger<LegalDisclosuresGrain> logger) : Grain, ILegalDisclosuresGrain
{
    private const int MaxPage = 500;

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

        var profile = await GrainFactory.GetGrain<IUserProfile>(userId).GetProfile() ?? throw DomainException.NotFound("user-not-found", "No such user.");
        var disclosureId = EntityId.FromIdempotencyKey(EntityId.LegalDisclosurePrefix, $"{userId}\n{demand.Authority}", demand.DocumentReference);
        var (disclosure, completed) = await store.BeginAsync(
            new LegalDisclosure(disclosureId, userId, demand.Authority, demand.DocumentType, demand.DocumentReference, demand.Fields, demand.NotifyUser,
                PostgresTime.AsStored(clock.GetUtcNow())),
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

        // An operator touching a user's data is on the record like support is (P1.7, P3.3), before the hand-over (*reviewer*):
        // written after it, a log that refused the entry left a hand-over in the ledger on no record, its operator told 503.
        // A retry after a failure further on is on the record once more, as every attempt is.
        await GrainFactory.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).Append(new AuditEntry(
            "operator", demand.RecordedBy, "legal-disclosure", userId,
            System.Text.Json.JsonSerializer.Serialize(new { disclosureId, documentType = disclosure.DocumentType, documentReference = disclosure.DocumentReference, userNotified = disclosure.UserNotified })));
        var purpose = $"legal-demand: {disclosure.DocumentType}";
        if (!await ledger.HoldsAsync(userId, disclosure.Authority, purpose, disclosure.DocumentReference))
        {
            try
            {
                await GrainFactory.GetGrain<IUserConsentGate>(userId).Disclose(new DisclosureRequest(
                    disclosure.Authority, RecipientKind.LegalAuthority, disclosure.Fields, purpose, null,
                    LawfulBasis.LegalObligation, profile.Region, disclosure.DocumentReference));
            }
            catch (DomainException refused)
            {
                // The record says the attempt handed nothing over (an account closing refuses every hand-over); the
                // operator hears the gate's refusal whether or not the log took that entry.
                await RecordRefusalAsync(demand, disclosureId, userId, disclosure.UserNotified, refused.Code);
                throw;
            }
        }

        if (disclosure.UserNotified)
        {
            await GrainFactory.GetGrain<IUserNotifications>(userId).Notify(new UserNotification(
                "legal-disclosure",
                $"Under a {disclosure.DocumentType} ({disclosure.DocumentReference}) from {disclosure.Authority}, we handed over: {string.Join(", ", disclosure.Fields)}.",
                disclosureId, clock.GetUtcNow(), null));
        }

        var completedAt = PostgresTime.AsStored(clock.GetUtcNow());
        await store.CompleteAsync(disclosureId, completedAt);
        return disclosure with { CompletedAt = completedAt };
    }

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

    private async Task RecordRefusalAsync(LegalDemand demand, string disclosureId, string userId, bool userNotified, string refusal)
    {
        try
        {
            await GrainFactory.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).Append(new AuditEntry(
                "operator", demand.RecordedBy, "legal-disclosure:refused", userId,
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
