using System.Security.Cryptography;
using System.Text;
using MeiLing.Grains.Audit;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Users;
using Microsoft.Extensions.Options;

namespace MeiLing.Grains.Identity;

// Codes live in memory only: they last 5 minutes, so a silo restart costs no more than asking for a new one,
// and nothing about a number's codes is ever written anywhere. The activation is kept until a day after the number's
// newest send, so the per-number allowances hold while they matter (CodeSendAllowances.KeepFor).
// Anyone may ask for a code to any number, so neither a send nor its allowance may be turned against the
// number's owner: each purpose has an allowance of its own (a stranger spending the register sends does
// not stop a password reset), counted per window and per day, and a new send adds a code rather than replacing the
// live one (the text the owner already holds stays good until it expires), as SMS platforms do on a resend within a
// code's lifetime. A code a party asks for on the number's owner's behalf (a shop's till asking for the member's code) is
// counted in that party's own allowance, so one party spending it does not stop another.
internal sealed class VerificationCodeGrain(
    PhoneHasher phones,
    ISmsSender sms,
    IOptions<PrivacySettings> privacy,
    IOptions<IdentitySettings> identity,
    TimeProvider clock) : Grain, IVerificationCodeGrain
{
    private readonly Dictionary<(VerificationPurpose Purpose, string? Scope), LiveCodes> _codes = [];
    private readonly CodeSendAllowances _sends = new();
    private readonly Dictionary<(VerificationPurpose Purpose, string Party), Allowance> _wrongAttempts = [];

    Task IVerificationCodeGrain.Send(string normalizedPhone, VerificationPurpose purpose, string? subjectUserId, string? scope) =>
        SendAsync(party: null, normalizedPhone, purpose, subjectUserId, scope, verificationId: null);

    Task IVerificationCodeGrain.Issue(string verificationId, string? party, string normalizedPhone, VerificationPurpose purpose, string? subjectUserId, string? scope) =>
        SendAsync(party, normalizedPhone, purpose, subjectUserId, scope, WellFormed(verificationId));

    Task IVerificationCodeGrain.IssueAsked(CodeAsked asked) =>
        SendAsync(party: null, asked.Phone, asked.Purpose, subjectUserId: null, scope: null, WellFormed(asked.VerificationId), asked.AskingNetwork);

    Task IVerificationCodeGrain.SendOnBehalfOf(string party, string normalizedPhone, VerificationPurpose purpose, string? subjectUserId, string? scope) =>
        SendAsync(party, normalizedPhone, purpose, subjectUserId, scope, verificationId: null);

    private static string WellFormed(string verificationId) =>
        VerificationIds.IsWellFormed(verificationId)
            ? verificationId
            : throw DomainException.InvalidField("verificationId", "invalid-verification-id", "A verification id is handed out by POST /v1/verification-codes.");

    private async Task SendAsync(
        string? party, string normalizedPhone, VerificationPurpose purpose, string? subjectUserId, string? scope, string? verificationId, string? askingNetwork = null)
    {
        if (phones.IndexKey(normalizedPhone) != this.GetPrimaryKeyString())
        {
            throw DomainException.Invalid("wrong-number", "This number's codes are kept elsewhere.");
        }

        var now = clock.GetUtcNow();
        _sends.ForgetSpent(now, IVerificationCodeGrain.SendWindow, IVerificationCodeGrain.SendDay);
        var sends = _sends.For(purpose, party);
        var what = party is null ? $"{VerificationCodes.Name(purpose)} codes to one number" : $"{VerificationCodes.Name(purpose)} codes to one number from one party";
        // P4.4: a network's share of the number's day, so a stranger asking from one network leaves the owner the rest.
        var shareWhat = $"{VerificationCodes.Name(purpose)} codes to one number asked for from one network";
        // The days are checked before the window is taken from, so a send a day refuses spends none of the window.
        if (askingNetwork is not null)
        {
            _sends.FindShare(purpose, askingNetwork)?.EnsureLeft(now, IVerificationCodeGrain.SendDay, IVerificationCodeGrain.SendsPerDayPerAskingNetwork, shareWhat);
        }

        var childrenWhat = $"{VerificationCodes.Name(purpose)} codes to one number as the guardian of any child";
        // Each child's first code of the day is its own (the registration's, for a new child): children named by a stranger
        // to spend the number's day for all children cannot keep a real guardian from their child's first code.
        var namesAChild = party?.StartsWith(IVerificationCodeGrain.ChildPartyPrefix, StringComparison.Ordinal) == true && sends.Day.Uses.Count > 0;
        if (namesAChild)
        {
            _sends.FindAllChildren(purpose)?.EnsureLeft(now, IVerificationCodeGrain.SendDay, IVerificationCodeGrain.SendsPerDayToAllChildren, childrenWhat);
        }

        sends.Day.EnsureLeft(now, IVerificationCodeGrain.SendDay, IVerificationCodeGrain.SendsPerDay, what);
        sends.Window.Take(now, IVerificationCodeGrain.SendWindow, IVerificationCodeGrain.SendsPerWindow, what);
        sends.Day.Take(now, IVerificationCodeGrain.SendDay, IVerificationCodeGrain.SendsPerDay, what);
        if (askingNetwork is not null)
        {
            _sends.ShareOf(purpose, askingNetwork).Take(now, IVerificationCodeGrain.SendDay, IVerificationCodeGrain.SendsPerDayPerAskingNetwork, shareWhat);
        }

        if (namesAChild)
        {
            _sends.AllChildren(purpose).Take(now, IVerificationCodeGrain.SendDay, IVerificationCodeGrain.SendsPerDayToAllChildren, childrenWhat);
        }
        DelayDeactivation(_sends.KeepFor(now, IVerificationCodeGrain.SendWindow, IVerificationCodeGrain.SendDay));

        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var salt = RandomNumberGenerator.GetBytes(16);
        if (!_codes.TryGetValue((purpose, scope), out var live))
        {
            live = new LiveCodes();
            _codes[(purpose, scope)] = live;
        }

        live.Add(new IssuedCode(salt, Hash(salt, purpose, code), now + IVerificationCodeGrain.Lifetime, verificationId), now);

        await sms.SendWithinAsync(new SmsMessage(normalizedPhone, Text(purpose, code, scope), VerificationCodes.Name(purpose)), identity.Value.SmsSendTimeout);
        // The code itself never goes into the log: only that one was sent, for what, and to whose account.
        await GrainFactory.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).Append(new AuditEntry(
            "identity", "verification-codes", "verification-code:sent", subjectUserId,
            $"{{\"purpose\":\"{VerificationCodes.Name(purpose)}\",\"sender\":\"{sms.Name}\"}}"));
    }

    Task<bool> IVerificationCodeGrain.Verify(VerificationPurpose purpose, string code, string? scope) =>
        Task.FromResult(Check(purpose, code, scope, spendWhenRight: true));

    Task<bool> IVerificationCodeGrain.VerifyIssued(string verificationId, VerificationPurpose purpose, string code, string? scope) =>
        Task.FromResult(CheckIssued(verificationId, purpose, code, scope));

    Task<bool> IVerificationCodeGrain.Matches(VerificationPurpose purpose, string code, string? scope) =>
        Task.FromResult(Check(purpose, code, scope, spendWhenRight: false));

    Task<bool> IVerificationCodeGrain.MatchesFor(string party, VerificationPurpose purpose, string code, string? scope)
    {
        var now = clock.GetUtcNow();
        if (!_wrongAttempts.TryGetValue((purpose, party), out var wrong))
        {
            wrong = new Allowance();
            _wrongAttempts[(purpose, party)] = wrong;
        }

        var what = $"wrong {VerificationCodes.Name(purpose)} codes from one party";
        wrong.EnsureLeft(now, IVerificationCodeGrain.SendDay, IVerificationCodeGrain.WrongAttemptsPerPartyPerDay, what);
        var right = Check(purpose, code, scope, spendWhenRight: false);
        if (!right)
        {
            wrong.Take(now, IVerificationCodeGrain.SendDay, IVerificationCodeGrain.WrongAttemptsPerPartyPerDay, what);
            // The count lives in memory: the activation stays for the day it covers.
            DelayDeactivation(IVerificationCodeGrain.SendDay);
        }

        return Task.FromResult(right);
    }

    Task IVerificationCodeGrain.Spend(VerificationPurpose purpose, string? scope)
    {
        _codes.Remove((purpose, scope));
        return Task.CompletedTask;
    }

    private bool Check(VerificationPurpose purpose, string code, string? scope, bool spendWhenRight)
    {
        // A code sent for one request confirms that request only: one agent cannot file two and let the user's
        // code for the harmless one confirm the other.
        if (!_codes.TryGetValue((purpose, scope), out var live))
        {
            return false;
        }

        live.DropExpired(clock.GetUtcNow());
        if (!live.AnyOpenToAll)
        {
            ForgetIfEmpty(purpose, scope, live);
            return false;
        }

        // The attempts are the purpose's, not each code's: asking for more codes buys a guesser no more guesses.
        live.Attempts++;
        var right = live.Codes.Any(issued => issued.OpenToAll && CryptographicOperations.FixedTimeEquals(issued.Hash, Hash(issued.Salt, purpose, code)));
        if (right && spendWhenRight)
        {
            // Used up by a right answer, with every other live code of the purpose.
            _codes.Remove((purpose, scope));
        }
        else if (live.Attempts >= IVerificationCodeGrain.MaxAttempts)
        {
            // Burnt by the fifth wrong one: a sixth guess without a verification id meets no code at all. A code asked
            // for with its id stays good with that id, which only its asker holds: a stranger guessing at the number's
            // codes cannot burn the code its owner asked for (P4.4).
            live.CloseToAll();
            ForgetIfEmpty(purpose, scope, live);
        }

        return right;
    }

    // P4.4: a code presented with the id its send handed out is tried with attempts of its own, which guesses without an id
    // cannot spend. A wrong one is then tried as a guess without an id, against the codes still open to all: the owner who
    // asked twice may type the first text's code with the second's id, and the first text stays good, as the number's
    // codes do. So a guess with an id spends one of its code's attempts and one of the purpose's.
    private bool CheckIssued(string verificationId, VerificationPurpose purpose, string code, string? scope)
    {
        if (!_codes.TryGetValue((purpose, scope), out var live))
        {
            return false;
        }

        live.DropExpired(clock.GetUtcNow());
        if (live.Find(verificationId) is { } issued)
        {
            issued.Attempts++;
            if (CryptographicOperations.FixedTimeEquals(issued.Hash, Hash(issued.Salt, purpose, code)))
            {
                _codes.Remove((purpose, scope));
                return true;
            }

            if (issued.Attempts >= IVerificationCodeGrain.MaxAttempts)
            {
                live.Codes.Remove(issued);
            }
        }

        return Check(purpose, code, scope, spendWhenRight: true);
    }

    private void ForgetIfEmpty(VerificationPurpose purpose, string? scope, LiveCodes live)
    {
        if (live.IsEmpty)
        {
            _codes.Remove((purpose, scope));
        }
    }

    // Keyed with the deployment's phone-hash secret and salted per code: a 6-digit code's plain hash would be
    // reversed by trying all 10^6 values.
    private byte[] Hash(byte[] salt, VerificationPurpose purpose, string code) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(privacy.Value.PhoneHashKey), salt.Concat(Encoding.UTF8.GetBytes($"{purpose}:{code}")).ToArray());

    private static string Text(VerificationPurpose purpose, string code, string? scope) => purpose switch
    {
        VerificationPurpose.Register => $"【美零】您的注册验证码是 {code}，5分钟内有效，请勿告诉他人。",
        VerificationPurpose.ResetPassword => $"【美零】您正在重置密码，验证码 {code}，5分钟内有效。如非本人操作请忽略。",
        VerificationPurpose.ConfirmRequest =>
            $"【美零】客服为您提交了数据权利请求（{scope}），确认即同意{ConsequenceOf(scope)}。如确认请将验证码 {code} 告知客服，5分钟内有效。如非本人要求，请勿告知任何人。",
        VerificationPurpose.GuardianWithdrawal => $"【美零】您正在撤回对孩子美零账户的监护人同意，验证码 {code}，5分钟内有效。使用后孩子的账户将被注销、数据将被删除。请勿告诉他人。",
        VerificationPurpose.MemberCardPayment => $"【美零】商户正在用您的会员卡付款（{scope}），如同意请将验证码 {code} 告知收银员，5分钟内有效。如非本人消费请勿告知。",
        _ => $"【美零】您的孩子正在注册美零账户，如同意请提供监护人验证码 {code}，5分钟内有效。",
    };

    // P1.7, P4.4: what confirming a request does, in the words of the text the user reads. The user reads the code out to
    // an agent; named by its type alone ("cancellation"), a request to close the account read like any check of who is
    // calling, and an agent saying "a code to verify you" got the code for the erasure.
    private static string ConsequenceOf(string? scope) => DataRights.ConfirmationScope.TypeOf(scope ?? "") switch
    {
        DataRights.DataRightsRequestType.Cancellation => "注销您的美零账户，删除您的全部数据，不可恢复",
        DataRights.DataRightsRequestType.Deletion => "删除您的部分个人数据，不可恢复",
        DataRights.DataRightsRequestType.Correction => "更正您的个人信息（更正收货信息时，未完成的订单将改寄新地址）",
        DataRights.DataRightsRequestType.Withdrawal => "撤回您的同意，相关处理将停止",
        DataRights.DataRightsRequestType.Access => "为您导出个人数据副本",
        _ => "处理这项数据权利请求",
    };

    /// <summary>One code sent: its keyed hash, until when it is good, and the verification id its asker was handed, if any.</summary>
    private sealed class IssuedCode(byte[] salt, byte[] hash, DateTimeOffset expiresAt, string? verificationId)
    {
        public byte[] Salt => salt;

        public byte[] Hash => hash;

        public DateTimeOffset ExpiresAt => expiresAt;

        /// <summary>Whether a guess without a verification id may still meet it: no longer once such guesses burnt the purpose.</summary>
        public bool OpenToAll { get; set; } = true;

        /// <summary>Guesses made with its verification id: the code's own, apart from the purpose's.</summary>
        public int Attempts { get; set; }

        public bool HasVerificationId => verificationId is not null;

        public bool IsIssuedAs(string id) =>
            verificationId is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(verificationId), Encoding.ASCII.GetBytes(id));
    }

    /// <summary>The codes of one purpose (and scope) still within their lifetime, and the guesses made at them without an id.</summary>
    private sealed class LiveCodes
    {
        public List<IssuedCode> Codes { get; } = [];

        public int Attempts { get; set; }

        public bool IsEmpty => Codes.Count == 0;

        public bool AnyOpenToAll => Codes.Exists(code => code.OpenToAll);

        public IssuedCode? Find(string verificationId) => Codes.Find(code => code.IsIssuedAs(verificationId));

        public void Add(IssuedCode code, DateTimeOffset now)
        {
            DropExpired(now);
            Codes.Add(code);
        }

        /// <summary>Burnt for guesses without an id: the codes stay good with their own ids, and the next code sent starts afresh.</summary>
        public void CloseToAll()
        {
            Codes.ForEach(code => code.OpenToAll = false);
            Codes.RemoveAll(code => !code.HasVerificationId);
            Attempts = 0;
        }

        public void DropExpired(DateTimeOffset now) => Codes.RemoveAll(code => now >= code.ExpiresAt);
    }
}
