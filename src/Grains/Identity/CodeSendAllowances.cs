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
    /// The sends of <paramref name="purpose"/> asked for from <paramref name="askingNetwork"/>, counted within the number's own
    /// (party-less) allowance: kept beside the parties' allowances, under a name no party has, so <see cref="KeepFor"/>
    /// holds it for its day too.
    /// </summary>
    public Allowance ShareOf(VerificationPurpose purpose, string askingNetwork) => For(purpose, "network " + askingNetwork).Day;

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
