namespace MeiLing.Grains.Privacy.Encryption;

/// <summary>
/// Grain state holding a user's personal data: stored sealed under that user's data key while it has an
/// owner; an owner of null (anonymized, pseudonymized, redacted) means it is stored in clear.
/// </summary>
public interface IOwnedByUser
{
    string? OwnerUserId { get; }
}
