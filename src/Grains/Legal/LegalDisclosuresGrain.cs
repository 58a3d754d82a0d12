using MeiLing.Grains.Audit;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Notifications;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;

namespace MeiLing.Grains.Legal;

[StatelessWorker]
internal sealed class LegalDisclosuresGrain(LegalDisclosureStore store, TimeProvider clock) : Grain, ILegalDisclosuresGrain
{
    // P3.3: the hand-over passes the user's disclosure gate, which refuses it without a document reference;
    // the record of it is written after the gate has recorded the disclosure itself.
    async Task<LegalDisclosure> ILegalDisclosuresGrain.Record(string userId, LegalDemand demand)
    {
        if (!ILegalDisclosuresGrain.DocumentTypes.Contains(demand.DocumentType))
        {
            throw DomainException.InvalidField("documentType", "unknown-document-type", $"Document types: {string.Join(", ", ILegalDisclosuresGrain.DocumentTypes)}.");
        }

        var profile = await GrainFactory.GetGrain<IUserProfile>(userId).GetProfile() ?? throw DomainException.NotFound("user-not-found", "No such user.");
        var disclosureId = EntityId.New(EntityId.LegalDisclosurePrefix);
        var record = await GrainFactory.GetGrain<IUserConsentGate>(userId).Disclose(new DisclosureRequest(
            demand.Authority, RecipientKind.LegalAuthority, demand.Fields, $"legal-demand: {demand.DocumentType}", null,
            LawfulBasis.LegalObligation, profile.Region, demand.DocumentReference));
        var disclosure = new LegalDisclosure(
            disclosureId, userId, demand.Authority, demand.DocumentType, demand.DocumentReference, demand.Fields, demand.NotifyUser, record.At);
        await store.AddAsync(disclosure, demand.RecordedBy);
        // An operator touching a user's data is on the record like support is (P1.7, P3.3).
        await GrainFactory.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).Append(new AuditEntry(
            "operator", demand.RecordedBy, "legal-disclosure", userId,
            System.Text.Json.JsonSerializer.Serialize(new { disclosureId, documentType = demand.DocumentType, documentReference = demand.DocumentReference, userNotified = demand.NotifyUser })));
        if (demand.NotifyUser)
        {
            await GrainFactory.GetGrain<IUserNotifications>(userId).Notify(new UserNotification(
                "legal-disclosure",
                $"Under a {demand.DocumentType} ({demand.DocumentReference}) from {demand.Authority}, we handed over: {string.Join(", ", demand.Fields)}.",
                disclosureId, clock.GetUtcNow(), null));
        }

        return disclosure;
    }

    Task<IReadOnlyList<LegalDisclosure>> ILegalDisclosuresGrain.Withheld(int limit) => store.WithheldAsync(Math.Clamp(limit, 1, 500));
}
