namespace MeiLing.Grains.Users;

/// <summary>
/// At most <c>limit</c> uses in any <c>window</c>: what one user may ask of the platform in a row, so that
/// a script with a stolen session cannot file requests, open tickets or flip consents without end.
/// </summary>
public sealed class Allowance
{
    /// <summary>When each use in the current window happened, oldest first.</summary>
    public List<DateTimeOffset> Uses { get; set; } = [];

    /// <summary>Takes one use; throws 429 <c>quota-exceeded</c> (with when to retry) when none is left.</summary>
    public void Take(DateTimeOffset now, TimeSpan window, int limit, string what)
    {
        EnsureLeft(now, window, limit, what);
        Uses.Add(now);
    }

    /// <summary>
    /// Gives back a use taken at <paramref name="takenAt"/> (the newest one when null) for something that was then refused
    /// and never happened; nothing when there is none.
    /// </summary>
    public void GiveBack(DateTimeOffset? takenAt = null)
    {
        var index = takenAt is { } at ? Uses.LastIndexOf(at) : Uses.Count - 1;
        if (index >= 0)
        {
            Uses.RemoveAt(index);
        }
    }

    /// <summary>Throws like <see cref="Take"/> when no use is left, without taking one: for allowances that count failures only.</summary>
    public void EnsureLeft(DateTimeOffset now, TimeSpan window, int limit, string what)
    {
        Uses.RemoveAll(use => use <= now - window);
        if (Uses.Count >= limit)
        {
            throw new DomainException(DomainErrorKind.TooManyRequests, "quota-exceeded", $"At most {limit} {what} per {Describe(window)}.")
            {
                RetryAfter = Uses[0] + window - now,
            };
        }
    }

    internal static string Describe(TimeSpan window) =>
        window >= TimeSpan.FromDays(1) ? $"{window.TotalDays:0} day(s)" : window >= TimeSpan.FromHours(1) ? $"{window.TotalHours:0} hour(s)" : $"{window.TotalMinutes:0} minute(s)";
}

/// <summary>What one user may do per window (P4.4 abuse limits).</summary>
public static class UserQuotas
{
    public static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>Downloads of the export per hour: one to keep, one to read, a few retries.</summary>
    public const int ExportDownloadsPerHour = 10;

    /// <summary>The user's own profile corrections per day, each a rewrite of their sealed state: a few a day are plenty.</summary>
    public const int ProfileCorrectionsPerDay = 50;

    /// <summary>Data-rights requests the user files per day.</summary>
    public const int RequestsPerDay = 10;

    /// <summary>Data-rights requests support files per day on one user's behalf, counted apart from the user's own.</summary>
    public const int SupportRequestsPerDay = 10;

    /// <summary>Support tickets opened per day.</summary>
    public const int TicketsPerDay = 10;

    /// <summary>Tickets support opens per day for one user, counted apart from the user's own.</summary>
    public const int SupportTicketsPerDay = 10;

    /// <summary>Wrong current passwords on a password change per 15 minutes, so a stolen session cannot guess it.</summary>
    public const int WrongPasswordsPerWindow = 10;

    public static readonly TimeSpan WrongPasswordWindow = TimeSpan.FromMinutes(15);

    /// <summary>Password changes per day: a user changing it, then again after a typo, is far below.</summary>
    public const int PasswordChangesPerDay = 5;
}
