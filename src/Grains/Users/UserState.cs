using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using MeiLing.Grains.Consents;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Privacy.Encryption;

namespace MeiLing.Grains.Users;

/// <summary>
/// Persisted state of a user: profile, credentials, consents, allowances, open requests. Every field is tagged
/// (Appendix A.1). The user's notices live in their inbox (<see cref="UserInboxState"/>), ticket links in
/// <c>user_tickets</c>.
/// </summary>
[HoldsPersonalData]
public sealed class UserState : IOwnedByUser
{
    [NotPersonalData]
    public string UserId { get; set; } = "";

    [PersonalData(DataCategory.Basic)]
    public string Phone { get; set; } = "";

    [PersonalData(DataCategory.NetworkIdentifier, Secret = true)]
    public string PasswordHash { get; set; } = "";

    [PersonalData(DataCategory.Basic)]
    public string Nickname { get; set; } = "";

    [PersonalData(DataCategory.Basic)]
    public string? AvatarUrl { get; set; }

    // A birth date can reveal a child under 14, whose data is sensitive (A.2).
    [PersonalData(DataCategory.Basic, Sensitive = true)]
    public DateOnly? BirthDate { get; set; }

    [PersonalData(DataCategory.Basic, Sensitive = true)]
    public bool IsMinor { get; set; }

    [PersonalData(DataCategory.Contacts)]
    public GuardianRecord? Guardian { get; set; }

    /// <summary>A child under 14 whose guardian has not confirmed with a code yet: nothing is processed (P5.1).</summary>
    [PersonalData(DataCategory.Basic, Sensitive = true)]
    public bool AwaitingGuardian { get; set; }

    [NotPersonalData]
    public string Region { get; set; } = "";

    [NotPersonalData]
    public DateTimeOffset RegisteredAt { get; set; }

    [NotPersonalData]
    public string? AcceptedPolicyVersion { get; set; }

    [NotPersonalData]
    public int AcceptedPolicyIndex { get; set; } = -1;

    [NotPersonalData]
    public int SessionGeneration { get; set; }

    /// <summary>
    /// Sessions of the current generation the user ended one at a time, until their tokens expire (P4.4). Random ids
    /// that name nothing outside this state; empty in states stored before sessions had ids.
    /// </summary>
    [NotPersonalData]
    public EndedSessions EndedSessions { get; set; } = new();

    // The latest receipt per purpose, read from the consent receipts table when the grain activates and
    // kept current by each decision: the receipts are the durable record, so this is never written here.
    [PersonalData(DataCategory.Basic)]
    [JsonIgnore]
    public Dictionary<ConsentPurpose, ConsentEntry> Consents { get; set; } = [];

    [PersonalData(DataCategory.Basic)]
    public List<SavedAddress> Addresses { get; set; } = [];

    /// <summary>
    /// Fields an earlier version kept here and this one does not (consent history, notices, ticket links: see
    /// <see cref="LegacyUserFields"/>), held as they were stored until the one-off import moves them out.
    /// </summary>
    [PersonalData(DataCategory.Basic)]
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? EarlierVersionFields { get; set; }

    /// <summary>Open data-rights requests by type: a second of the same type waits for the first (P8.1).</summary>
    [NotPersonalData]
    public Dictionary<DataRightsRequestType, string> OpenRequests { get; set; } = [];

    /// <summary>When the user recently filed data-rights requests: at most <see cref="UserQuotas.RequestsPerDay"/> a day.</summary>
    [NotPersonalData]
    public Allowance RequestFilings { get; set; } = new();

    /// <summary>
    /// When the user recently filed a deletion or a cancellation: at most <see cref="UserQuotas.RequestsPerDay"/> a day, apart
    /// from <see cref="RequestFilings"/>, so a copied session (which may file neither: both need a recent sign-in) spending
    /// the day's requests on access requests leaves the owner's erasure and cancellation fileable (P4.1, P8.1).
    /// </summary>
    [NotPersonalData]
    public Allowance ErasingFilings { get; set; } = new();

    /// <summary>When support recently filed requests for the user: at most <see cref="UserQuotas.SupportRequestsPerDay"/> a day.</summary>
    [NotPersonalData]
    public Allowance SupportFilings { get; set; } = new();

    /// <summary>When recent tickets were opened: at most <see cref="UserQuotas.TicketsPerDay"/> a day.</summary>
    [NotPersonalData]
    public Allowance TicketOpenings { get; set; } = new();

    /// <summary>When support recently opened tickets for the user: at most <see cref="UserQuotas.SupportTicketsPerDay"/> a day.</summary>
    [NotPersonalData]
    public Allowance SupportTicketOpenings { get; set; } = new();

    /// <summary>
    /// Password changes made, per day (P4.4): each texts the user's number and writes a lasting audit entry, so a session
    /// looping on them would run up texts and audit rows without end. Kept with the state the change writes anyway.
    /// </summary>
    [NotPersonalData]
    public Allowance PasswordChanges { get; set; } = new();

    /// <summary>
    /// Downloads of the export per hour (P4.4): each gathers everything the user has. Kept in the state, written with each
    /// download: held in memory alone, an activation collected after 15 idle minutes came back with none counted.
    /// </summary>
    [NotPersonalData]
    public Allowance ExportDownloads { get; set; } = new();

    /// <summary>
    /// Orders each merchant placed for the user lately (P4.4). Written when the activation leaves, not with each order (the
    /// gate the order passes writes nothing): held in memory alone, an activation collected after 15 idle minutes came
    /// back with no count, and a merchant placed its day's allowance again every 16 minutes.
    /// </summary>
    [NotPersonalData]
    public MerchantOrderAllowance MerchantOrders { get; set; } = new();

    /// <summary>
    /// The day's counts of the user's consent changes, location samples and ticket messages (P4.4), written as the merchants'
    /// order counts are: held in memory alone, an activation collected after 15 idle minutes came back with none counted,
    /// and a user who stopped short of a quarter of the day's allowance (which held the activation) before each pause stored
    /// thirteen days' worth a day.
    /// </summary>
    [NotPersonalData]
    public UserDayCounts Today { get; set; } = new();

    /// <summary>Set when cancellation begins: no more sessions, processing or requests (P4.1).</summary>
    [NotPersonalData]
    public bool Closing { get; set; }

    /// <summary>The user's choice that every draw on their member cards, the merchant key's too, needs the code texted to them (P1.6).</summary>
    [PersonalData(DataCategory.Basic)]
    public bool MemberCodeAlways { get; set; }

    string? IOwnedByUser.OwnerUserId => UserId.Length == 0 ? null : UserId;

    public void Register(string userId, NewUser user, DateTimeOffset now, bool isMinor, bool awaitsGuardian, string? policyVersion, int policyIndex)
    {
        AwaitingGuardian = awaitsGuardian;
        var registration = user.Registration;
        UserId = userId;
        Phone = user.NormalizedPhone;
        PasswordHash = user.PasswordHash;
        Nickname = registration.Nickname;
        AvatarUrl = registration.AvatarUrl;
        BirthDate = registration.BirthDate;
        IsMinor = isMinor;
        Guardian = registration.GuardianConsent is { } guardian
            ? new GuardianRecord
            {
                Name = guardian.GuardianName, Phone = guardian.GuardianPhone, Relationship = guardian.Relationship, RecordedAt = now,
                AnswersUntil = registration.BirthDate?.AddYears(Age.AdultFrom),
            }
            : null;
        Region = registration.Region;
        RegisteredAt = now;
        AcceptedPolicyVersion = policyVersion;
        AcceptedPolicyIndex = policyIndex;
    }

    /// <summary>
    /// P5.1: whether the account may be a child's under 14: a guardian proved their number with the texted code and has not
    /// withdrawn, or the account still awaits its guardian (gated, with the deadline's erasure behind it). A guardian merely
    /// named, by someone who registered as 14 or older, was never texted a code and proves nothing.
    /// </summary>
    public bool ChildConsentStands() => AwaitingGuardian || Guardian is { ConfirmedAt: not null, WithdrawnAt: null };

    public void Correct(ProfileCorrection correction, bool isMinor)
    {
        Nickname = correction.Nickname ?? Nickname;
        AvatarUrl = correction.AvatarUrl ?? AvatarUrl;
        BirthDate = correction.BirthDate ?? BirthDate;
        IsMinor = isMinor;
    }

    /// <summary>Whether <see cref="Correct"/> would change anything.</summary>
    public bool WouldChange(ProfileCorrection correction, bool isMinor) =>
        (correction.Nickname ?? Nickname) != Nickname
        || (correction.AvatarUrl ?? AvatarUrl) != AvatarUrl
        || (correction.BirthDate ?? BirthDate) != BirthDate
        || isMinor != IsMinor;

    public void ChangePassword(string passwordHash) => PasswordHash = passwordHash;

    /// <summary>Every session issued so far ends: their tokens carry the old generation.</summary>
    public void RevokeSessions()
    {
        SessionGeneration++;
        EndedSessions.Clear();
        _viewRevision++;
    }

    /// <summary>
    /// Whether a token of <paramref name="generation"/> and <paramref name="sessionId"/> is still good. A token without
    /// an id (issued before sessions had one) ends only with its generation.
    /// </summary>
    public bool IsSessionCurrent(int generation, string? sessionId) =>
        SessionGeneration == generation && (sessionId is null || !EndedSessions.Contains(sessionId));

    /// <summary>
    /// Ends one session of the current generation until <paramref name="until"/>; when the ended sessions kept are
    /// already at their bound, every session ends instead. False when nothing changed (the session had ended with its
    /// generation already).
    /// </summary>
    public bool EndSession(int generation, string sessionId, DateTimeOffset until, DateTimeOffset now)
    {
        if (generation != SessionGeneration)
        {
            return false;
        }

        if (!EndedSessions.TryEnd(sessionId, until, now))
        {
            RevokeSessions();
        }

        _viewRevision++;
        return true;
    }

    public void ChooseMemberCodeAlways(bool always) => MemberCodeAlways = always;

    /// <summary>A new password: every session issued so far ends with the old one.</summary>
    public void ReplacePassword(string passwordHash)
    {
        ChangePassword(passwordHash);
        RevokeSessions();
    }

    /// <summary>P5.1: the guardian proved their number; the child's account may be processed.</summary>
    public void ConfirmGuardian(DateTimeOffset now)
    {
        AwaitingGuardian = false;
        if (Guardian is not null)
        {
            Guardian.ConfirmedAt = now;
        }
    }

    /// <summary>Takes a receipt already made durable into effect; true when the user's own state changed with it.</summary>
    public bool RecordConsent(ConsentReceipt receipt, int policyIndex)
    {
        Consents[receipt.Purpose] = ConsentEntry.From(receipt);
        _viewRevision++;
        if (policyIndex <= AcceptedPolicyIndex)
        {
            return false;
        }

        // P6.1: a consent change naming a version (or a later one) accepts it.
        AcceptedPolicyIndex = policyIndex;
        AcceptedPolicyVersion = receipt.PolicyVersion;
        return true;
    }

    public void LoadConsents(IEnumerable<ConsentReceipt> current)
    {
        Consents = current.ToDictionary(receipt => receipt.Purpose, ConsentEntry.From);
        _viewRevision++;
    }

    // Counts the changes to what ToView shows, in memory only: consents live in the receipts table, not in this
    // state's row, so the row's version does not tell whether they changed.
    private int _viewRevision;

    /// <summary>Changes whenever what <see cref="ToView"/> shows may have changed (consents, sessions).</summary>
    internal int ViewRevision => _viewRevision;

    /// <summary>Where every purpose stands now, in <see cref="ConsentPurposes.All"/>'s order; never asked ones read as not granted.</summary>
    public IReadOnlyList<ConsentStatus> ConsentStatuses()
    {
        var statuses = new ConsentStatus[ConsentPurposes.All.Count];
        for (var i = 0; i < statuses.Length; i++)
        {
            var purpose = ConsentPurposes.All[i];
            statuses[i] = Consents.TryGetValue(purpose, out var entry)
                ? new ConsentStatus(purpose, entry.Granted, entry.PolicyVersion, entry.At)
                : new ConsentStatus(purpose, false, null, null);
        }

        return statuses;
    }

    /// <summary>A copy of what a co-hosted API may read without asking the grain (<see cref="IActivatedUserViews"/>).</summary>
    public ActivatedUserView ToView() =>
        new(ConsentStatuses(), SessionGeneration,
            EndedSessions.Until.Count == 0 ? FrozenSet<string>.Empty : EndedSessions.Until.Keys.ToFrozenSet(StringComparer.Ordinal));

    /// <summary>What an earlier version kept in this state and has not been moved out yet; null when nothing is left.</summary>
    public LegacyUserFields? LegacyFields() => LegacyUserFields.Read(EarlierVersionFields);

    /// <summary>Drops the earlier version's fields once they are kept where they live now.</summary>
    public void ForgetLegacyFields() => LegacyUserFields.Forget(EarlierVersionFields);

    /// <summary>Whether the change would leave the purpose as it is, under the same version: nothing to record.</summary>
    public ConsentEntry? Unchanged(ConsentPurpose purpose, bool granted, string policyVersion) =>
        Consents.TryGetValue(purpose, out var entry) && entry.Granted == granted && entry.PolicyVersion == policyVersion ? entry : null;

    public ConsentEntry? GrantFor(ConsentPurpose purpose) =>
        !Closing && Consents.TryGetValue(purpose, out var entry) && entry.Granted ? entry : null;

    public void Close()
    {
        if (!Closing)
        {
            Closing = true;
            RevokeSessions();
        }
    }

    /// <summary>
    /// P4.4, P4.1: puts back what a sign-out or a closing whose write failed had changed (<paramref name="kept"/>) onto
    /// this state, read from storage since. These only ever move one way (a later generation, more sessions ended, the
    /// account closing), so putting them back never revives a session; once more is a no-op.
    /// </summary>
    internal void KeepClosing(UnsavedClosing kept, DateTimeOffset now)
    {
        if (SessionGeneration < kept.SessionGeneration)
        {
            // Set, not counted up: tokens issued under the generation memory had reached stay good, as they were.
            SessionGeneration = kept.SessionGeneration;
            EndedSessions.Clear();
        }

        if (SessionGeneration == kept.SessionGeneration)
        {
            foreach (var (sessionId, until) in kept.EndedSessions)
            {
                if (!EndedSessions.TryEnd(sessionId, until, now))
                {
                    // No place left to keep it: every session ends, which is always safe (EndSession does the same).
                    RevokeSessions();
                    break;
                }
            }
        }

        if (kept.Closing && !Closing)
        {
            Closing = true;
            if (SessionGeneration != kept.SessionGeneration)
            {
                // Storage already held a later generation than the closing's: its sessions end too, as Close ends them.
                RevokeSessions();
            }
        }

        _viewRevision++;
    }

    /// <summary>P1.8: what came from third parties (an address carrying its provenance) goes with the consent it came under.</summary>
    public bool ForgetImportedData() => Addresses.RemoveAll(address => address.Provenance is not null) > 0;

    public int Erase(ErasableCategory category)
    {
        int erased;
        switch (category)
        {
            case ErasableCategory.Avatar:
                erased = AvatarUrl is null ? 0 : 1;
                AvatarUrl = null;
                break;
            case ErasableCategory.Addresses:
                erased = Addresses.Count;
                Addresses.Clear();
                break;
            case ErasableCategory.BirthDate:
                erased = BirthDate is null ? 0 : 1;
                BirthDate = null;
                break;
            default:
                erased = 0;
                break;
        }

        return erased;
    }

    public UserProfile ToProfile(string userId) =>
        new(userId, Phone, Nickname, AvatarUrl, BirthDate, Region, IsMinor, RegisteredAt, AcceptedPolicyVersion,
            AwaitingGuardian ? UserProfile.PendingGuardian : UserProfile.Active);

    /// <summary>A guardian's consent for a child under 14, as recorded (P5.1).</summary>
    public sealed class GuardianRecord
    {
        public string Name { get; set; } = "";

        public string Phone { get; set; } = "";

        public string Relationship { get; set; } = "";

        public DateTimeOffset RecordedAt { get; set; }

        /// <summary>When the guardian confirmed with the code texted to their number; null until then.</summary>
        public DateTimeOffset? ConfirmedAt { get; set; }

        /// <summary>
        /// The day the child comes of age by the birth date the guardian consented for: until then the guardian may
        /// withdraw, whatever birth date the child gives later (P5.1). Null in records kept before it: no end.
        /// </summary>
        public DateOnly? AnswersUntil { get; set; }

        public bool AnswersOn(DateOnly today) => AnswersUntil is not { } until || today < until;

        /// <summary>
        /// When the guardian withdrew their consent with the code texted to their number (P5.1): from then the platform owes
        /// the child's erasure until its own cancellation is filed. Null while consent stands.
        /// </summary>
        public DateTimeOffset? WithdrawnAt { get; set; }
    }

    /// <summary>One consent decision as the user grain keeps it.</summary>
    public sealed class ConsentEntry
    {
        public string ReceiptId { get; set; } = "";

        public ConsentPurpose Purpose { get; set; }

        public bool Granted { get; set; }

        public string PolicyVersion { get; set; } = "";

        public DateTimeOffset At { get; set; }

        public string CollectionMethod { get; set; } = "";

        public static ConsentEntry From(ConsentReceipt receipt) => new()
        {
            ReceiptId = receipt.ReceiptId,
            Purpose = receipt.Purpose,
            Granted = receipt.Granted,
            PolicyVersion = receipt.PolicyVersion,
            At = receipt.At,
            CollectionMethod = receipt.CollectionMethod,
        };

        public ConsentReceipt ToReceipt(string userId, string jurisdiction) =>
            new(ReceiptId, userId, Purpose, Granted, PolicyVersion, At, CollectionMethod, jurisdiction);
    }
}
