namespace MeiLing.Grains.Privacy;

/// <summary>
/// Marks a stored field as personal information of the category named (Appendix A.1), and sensitive
/// where A.2 says so. Export and erasure are driven from these tags, so a field added later is covered
/// by being tagged; a test fails for any field of a personal-data state class left untagged.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class PersonalDataAttribute(DataCategory category) : Attribute
{
    public DataCategory Category { get; } = category;

    public bool Sensitive { get; init; }

    /// <summary>A credential (a password hash): held and erased like the rest, but never exported.</summary>
    public bool Secret { get; init; }
}

/// <summary>Marks a stored field of a personal-data state class as not personal information, on purpose.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class NotPersonalDataAttribute : Attribute;

/// <summary>
/// Marks a class stored with a user's personal data — a grain state, or a row kept in a table of its own —
/// whose every field must carry <see cref="PersonalDataAttribute"/> or <see cref="NotPersonalDataAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class HoldsPersonalDataAttribute : Attribute;
