using MeiLing.Grains.Users;

namespace MeiLing.Grains.Identity;

/// <summary>
/// The sends of codes to one number, an allowance per purpose and asking party, each counted per window and per day, and
/// each asking network's share of the number's own day; and how long they must stay in memory for those allowances to hold.
/// </summary>
internal sealed class CodeSendAllowances
{
    private readonly Dictionary<(VerificationPurpose Purpose, string? Party), Sends> _sends = [];

    public Sends For(VerificationPurpose purpose, string? party)
    {
        if (!_sends.TryGetValue((purpose, party), out var sends))
        {
            sends = new Sends();
            _sends[(purpose, party)] = sends;
        }

        return sends;
    }

    /// <summary>
    /// The day's sends of <paramref name="purpose"/> asked for from <paramref name="askingNetwork"/>, counted within the
    /// number's own (party-less) allowance; null when that network has been sent none. Looked up without adding an entry,
    /// so an ask refused before anything is taken leaves nothing behind: otherwise every refused ask from a fresh network
    /// (an IPv6 /48 holds 65,536 /64s) grew the number's activation by an entry.
    /// </summary>
    public Allowance? FindShare(VerificationPurpose purpose, string askingNetwork) =>
        _sends.TryGetValue((purpose, ShareParty(askingNetwork)), out var sends) ? sends.Day : null;

    /// <summary>
    /// As <see cref="FindShare"/>, added when missing: for a send the number's own allowance has just taken, so a number
    /// holds at most as many shares as it was sent codes in a day. Kept beside the parties' allowances under a name no
    /// party has, so <see cref="KeepFor"/> holds it for its day too.
    /// </summary>
    public Allowance ShareOf(VerificationPurpose purpose, string askingNetwork) => For(purpose, ShareParty(askingNetwork)).Day;

    /// <summary>
    /// The day's sends of <paramref name="purpose"/> to the number as the guardian of any child, all children together;
    /// null when none was sent (looked up without adding an entry, as <see cref="FindShare"/>).
    /// </summary>
    public Allowance? FindAllChildren(VerificationPurpose purpose) =>
        _sends.TryGetValue((purpose, AllChildrenParty), out var sends) ? sends.Day : null;

    /// <summary>As <see cref="FindAllChildren"/>, added when missing: for a send the child's own allowance has just taken.</summary>
    public Allowance AllChildren(VerificationPurpose purpose) => For(purpose, AllChildrenParty).Day;

    /// <summary>Drops the allowances with no use left in their window or day: what they counted no longer limits anything.</summary>
    public void ForgetSpent(DateTimeOffset now, TimeSpan window, TimeSpan day)
    {
        foreach (var (key, sends) in _sends)
        {
            sends.Window.Uses.RemoveAll(use => use <= now - window);
            sends.Day.Uses.RemoveAll(use => use <= now - day);
            if (sends.Window.Uses.Count == 0 && sends.Day.Uses.Count == 0)
            {
                _sends.Remove(key);
            }
        }
    }

    /// <summary>How many allowances are held: what one number's activation keeps in memory.</summary>
    public int Count => _sends.Count;

    private static string ShareParty(string askingNetwork) => "network " + askingNetwork;

    // A name no party has (a child's party is "child:" and the child's id): all of them together.
    private const string AllChildrenParty = "children";

    /// <summary>
    /// Until a day after the newest send, over every allowance: the counts live in memory only, and an activation that
    /// left when idle would come back with none. Kept for the window only, a stranger who sent four codes a window and
    /// waited 16 minutes was sent ~370 a day and guessed ~1,850 times, against 10 and 50; kept until the oldest send's
    /// day ended, one send early and five late were forgotten minutes later, for 16 texts in half an hour.
    /// </summary>
    public TimeSpan KeepFor(DateTimeOffset now, TimeSpan window, TimeSpan day) =>
        _sends.Values
            .Where(sends => sends.Day.Uses.Count > 0)
            .Select(sends => sends.Day.Uses[^1] + day - now)
            .Append(window)
            .Max();

    /// <summary>One purpose's sends to the number: in the current window, and in the day.</summary>
    internal sealed class Sends
    {
        public Allowance Window { get; } = new();

        public Allowance Day { get; } = new();
    }
}
