using MeiLing.Grains.Users;

namespace MeiLing.Grains.Staff;

/// <summary>Persisted state of a staff member.</summary>
public sealed class StaffState
{
    public string Name { get; set; } = "";

    public StaffRole Role { get; set; }

    /// <summary>The merchant a manager or cashier works for; null for the platform's own staff.</summary>
    public string? MerchantId { get; set; }

    public DateTimeOffset EnrolledAt { get; set; }

    /// <summary>The merchant's manager who enrolled this member; null for the merchant key, the platform, and members enrolled before it was kept.</summary>
    public string? EnrolledBy { get; set; }

    /// <summary>The lookup hash of the member's API key (never the key), so leaving can revoke it.</summary>
    public string? KeyHash { get; set; }

    public DateTimeOffset? OffboardedAt { get; set; }

    /// <summary>The manager who offboarded this member; null: the merchant key, the platform, or nobody recorded.</summary>
    public string? OffboardedBy { get; set; }

    /// <summary>A cashier's own daily top-up limit, set by their merchant (fen); null: the platform's default.</summary>
    public long? TopUpLimitPerDayFen { get; set; }

    /// <summary>When the merchant last set <see cref="TopUpLimitPerDayFen"/>; null: never, or before it was recorded.</summary>
    public DateTimeOffset? TopUpLimitSetAt { get; set; }

    /// <summary>The manager who last set <see cref="TopUpLimitPerDayFen"/>; null: the merchant key, or nobody recorded.</summary>
    public string? TopUpLimitSetBy { get; set; }

    /// <summary>A cashier's top-ups on the last day they made any.</summary>
    public CashierTopUpDay TopUps { get; set; } = new();

    /// <summary>When a support agent recently filed data-rights requests, for any user: a day's worth at most.</summary>
    public Allowance RequestFilings { get; set; } = new();

    /// <summary>When a support agent recently opened tickets, for any user: a day's worth at most.</summary>
    public Allowance TicketOpenings { get; set; } = new();

    /// <summary>When a support agent recently looked a user up by mobile number: a day's worth at most.</summary>
    public Allowance PhoneLookups { get; set; } = new();

    /// <summary>When a support agent's recent look-ups by mobile number found no user: a day's worth at most (P1.7).</summary>
    public Allowance PhoneLookupMisses { get; set; } = new();

    public bool IsCashier => Role == StaffRole.Cashier;

    /// <summary>A current support agent: enrolled as support and not offboarded.</summary>
    public bool IsCurrentSupport => Role == StaffRole.Support && OffboardedAt is null;

    public long TopUpLimitFen(long platformDefaultFen) => TopUpLimitPerDayFen ?? platformDefaultFen;

    /// <summary>Sets the cashier's limit and who set it; false when it is already the limit in force (nothing to write).</summary>
    public bool SetTopUpLimit(long? perDayFen, DateTimeOffset? now = null, string? setBy = null)
    {
        if (TopUpLimitPerDayFen == perDayFen)
        {
            return false;
        }

        TopUpLimitPerDayFen = perDayFen;
        TopUpLimitSetAt = now;
        TopUpLimitSetBy = now is null ? null : setBy;
        return true;
    }

    public void Enrol(EnrolStaff command, DateTimeOffset now, string keyHash)
    {
        Name = command.Name;
        Role = command.Role;
        MerchantId = command.MerchantId;
        EnrolledAt = now;
        EnrolledBy = command.EnrolledBy;
        KeyHash = keyHash;
    }

    public void Offboard(DateTimeOffset now, string? by)
    {
        if (OffboardedAt is null)
        {
            OffboardedAt = now;
            OffboardedBy = by;
        }
    }

    public StaffView ToView(string staffId, long cashierTopUpDefaultFen) =>
        new(staffId, Name, Role, EnrolledAt, OffboardedAt, MerchantId, IsCashier ? TopUpLimitFen(cashierTopUpDefaultFen) : null, EnrolledBy,
            TopUpLimitSetAt, TopUpLimitSetBy, OffboardedBy);
}
