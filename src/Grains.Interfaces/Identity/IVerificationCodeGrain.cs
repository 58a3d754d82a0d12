namespace MeiLing.Grains.Identity;

/// <summary>
/// The one-time codes of one phone number, keyed by the number's keyed hash (HMAC, as the phone index) so no
/// grain key, reminder or storage row holds the number. Codes are 6 digits, kept only as a keyed hash, good for
/// 5 minutes and 5 attempts, for their own purpose; sending is limited per number.
/// </summary>
[Alias("meiling.verification-codes")]
public interface IVerificationCodeGrain : IGrainWithStringKey
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public const int MaxAttempts = 5;

    /// <summary>Codes one number may be sent per <see cref="SendWindow"/> for one purpose; each purpose has its own allowance.</summary>
    public const int SendsPerWindow = 5;

    public static readonly TimeSpan SendWindow = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Codes one number may be sent per <see cref="SendDay"/> for one purpose: without it, a stranger waiting out each window
    /// could have the platform text a number 480 times a day (SMS bombing, at the platform's cost).
    /// </summary>
    public const int SendsPerDay = 10;

    public static readonly TimeSpan SendDay = TimeSpan.FromDays(1);

    /// <summary>
    /// Of a number's <see cref="SendsPerDay"/> for one purpose, what one asking network may spend (<see cref="IssueAsked"/>):
    /// half. A stranger who spent the whole day's sends on someone else's number kept its owner from a reset code until the
    /// next day; now a stranger needs networks of their own to do it, and the number is texted no more than before.
    /// </summary>
    public const int SendsPerDayPerAskingNetwork = SendsPerDay / 2;

    /// <summary>
    /// Codes one number may be sent per <see cref="SendDay"/> for one purpose as the guardian of any child naming it, all
    /// such children together (P4.4, P5.1). Each child's codes are counted as that child's, so nobody blocks a child's
    /// guardian by spending the number's own day; but children registered naming a stranger's number each had a day of
    /// their own, and texted the number ten times a day per child. Each child's first code of the day is not counted here,
    /// so children a stranger registers to spend this day cannot keep a real guardian from their child's first code.
    /// </summary>
    public const int SendsPerDayToAllChildren = SendsPerDay * 2;

    /// <summary>The asking party of a guardian's code naming <paramref name="childUserId"/> (<see cref="Issue"/>).</summary>
    static string ChildParty(string childUserId) => ChildPartyPrefix + childUserId;

    /// <summary>What every <see cref="ChildParty"/> starts with.</summary>
    const string ChildPartyPrefix = "child:";

    /// <summary>
    /// Makes a new code for <paramref name="purpose"/> (earlier codes still live stay good until they expire) and texts it to
    /// <paramref name="normalizedPhone"/>, which must be the number this grain is keyed by; audited without the code.
    /// A code with a <paramref name="scope"/> (the request it confirms) is good for that scope alone, and its text
    /// names it. 429 <c>quota-exceeded</c> beyond the number's allowance for the purpose.
    /// </summary>
    [Alias("send")]
    Task Send(string normalizedPhone, VerificationPurpose purpose, string? subjectUserId, string? scope = null);

    /// <summary>
    /// As <see cref="Send"/>, the code issued as <paramref name="verificationId"/> (<see cref="VerificationIds"/>), which its
    /// asker was handed: presented with that id (<see cref="VerifyIssued"/>) it has <see cref="MaxAttempts"/> guesses of
    /// its own, which guesses without an id cannot burn (P4.4). With a <paramref name="party"/>, counted in that party's
    /// own allowance, as <see cref="SendOnBehalfOf"/> counts. Added beside <see cref="Send"/> for a rolling upgrade.
    /// </summary>
    [Alias("issue")]
    Task Issue(string verificationId, string? party, string normalizedPhone, VerificationPurpose purpose, string? subjectUserId, string? scope);

    /// <summary>
    /// As <see cref="Issue"/> without a party, for a code asked for without credentials: counted in the number's allowance
    /// for the purpose and, within it, in the asking network's share (<see cref="SendsPerDayPerAskingNetwork"/>), so one
    /// network cannot spend the number's whole day (P4.4); 429 <c>quota-exceeded</c> beyond either. Added beside
    /// <see cref="Issue"/> for a rolling upgrade.
    /// </summary>
    [Alias("issue-asked")]
    Task IssueAsked(CodeAsked asked);

    /// <summary>
    /// As <see cref="Send"/>, for a code <paramref name="party"/> asks to have texted to the number's owner (a shop's till asking
    /// for the member's code, P1.6): counted in that party's own allowance for the purpose, so one party asking without end
    /// stops only itself, never another party asking the same number (429 <c>quota-exceeded</c> beyond its own). Added beside
    /// <see cref="Send"/> for a rolling upgrade.
    /// </summary>
    [Alias("send-on-behalf-of")]
    Task SendOnBehalfOf(string party, string normalizedPhone, VerificationPurpose purpose, string? subjectUserId, string? scope);

    /// <summary>
    /// Whether <paramref name="code"/> is a live code for <paramref name="purpose"/>; a right code is used up with
    /// every other code of the purpose, and the codes are gone after <see cref="MaxAttempts"/> attempts at them together,
    /// or each after its <see cref="Lifetime"/>.
    /// </summary>
    [Alias("verify")]
    Task<bool> Verify(VerificationPurpose purpose, string code, string? scope = null);

    /// <summary>
    /// Whether <paramref name="code"/> is the live code issued as <paramref name="verificationId"/> for
    /// <paramref name="purpose"/> and <paramref name="scope"/>, or, that failing, a code still open to guesses without an id
    /// (the owner who asked twice types the first text's code). The guess counts against the issued code's own
    /// <see cref="MaxAttempts"/> and the purpose's: a right code is used up with every other code of the purpose; the issued
    /// code is gone after its fifth wrong guess or its <see cref="Lifetime"/>, whatever guesses without an id did.
    /// </summary>
    [Alias("verify-issued")]
    Task<bool> VerifyIssued(string verificationId, VerificationPurpose purpose, string code, string? scope);

    /// <summary>
    /// Whether <paramref name="code"/> is a live code for <paramref name="purpose"/> and <paramref name="scope"/>, as
    /// <see cref="Verify"/> answers, but a right code stays live until <see cref="Spend"/>: for a code that stands for
    /// something done after the check (a draw on a member card), so a step that then fails leaves the code good. Every
    /// answer counts as an attempt, so checking buys a guesser no more guesses than verifying.
    /// </summary>
    [Alias("matches")]
    Task<bool> Matches(VerificationPurpose purpose, string code, string? scope);

    /// <summary>
    /// Wrong codes one party may try at the number's codes for one purpose per <see cref="SendDay"/>, whatever their scope:
    /// counted per scope alone, a till asking for a member's code again with another amount got five fresh guesses each time.
    /// </summary>
    public const int WrongAttemptsPerPartyPerDay = 10;

    /// <summary>
    /// As <see cref="Matches"/>, asked by <paramref name="party"/> (the shop whose till takes the member's code, P1.6): a wrong
    /// code also counts against the party's day of <see cref="WrongAttemptsPerPartyPerDay"/> across every scope, and past it
    /// every code, the right one too, is 429 <c>quota-exceeded</c> for the rest of the day. Added beside <see cref="Matches"/>
    /// for a rolling upgrade.
    /// </summary>
    [Alias("matches-for")]
    Task<bool> MatchesFor(string party, VerificationPurpose purpose, string code, string? scope);

    /// <summary>Uses up every live code for <paramref name="purpose"/> and <paramref name="scope"/> (none left is no error).</summary>
    [Alias("spend")]
    Task Spend(VerificationPurpose purpose, string? scope);
}
