namespace MeiLing.Grains;

/// <summary>
/// A refusal by a grain that the caller can act on: the API turns it into a problem+json response
/// whose status follows <see cref="Kind"/> and whose <c>type</c> ends in <see cref="Code"/>.
/// </summary>
[GenerateSerializer, Alias("meiling.domain-exception")]
public sealed class DomainException : Exception
{
    public DomainException(DomainErrorKind kind, string code, string message)
        : base(message)
    {
        Kind = kind;
        Code = code;
    }

    [Id(0)]
    public DomainErrorKind Kind { get; private set; }

    /// <summary>A short, stable, kebab-case code (<c>phone-taken</c>, <c>consent-required</c>).</summary>
    [Id(1)]
    public string Code { get; private set; }

    /// <summary>For a refusal that lifts by itself: how long until it does (sent as <c>Retry-After</c>).</summary>
    [Id(2)]
    public TimeSpan? RetryAfter { get; init; }

    public static DomainException Conflict(string code, string message) => new(DomainErrorKind.Conflict, code, message);

    public static DomainException NotFound(string code, string message) => new(DomainErrorKind.NotFound, code, message);

    /// <summary>For a refusal of one field's value: the field as the client sends it, so the problem names it in <c>errors</c>.</summary>
    [Id(3)]
    public string? Field { get; init; }

    public static DomainException Invalid(string code, string message) => new(DomainErrorKind.Invalid, code, message);

    public static DomainException InvalidField(string field, string code, string message) =>
        new(DomainErrorKind.Invalid, code, message) { Field = field };

    public static DomainException Forbidden(string code, string message) => new(DomainErrorKind.Forbidden, code, message);

    /// <summary>The platform cannot answer now (its database or a silo is away): retry shortly.</summary>
    public static DomainException Unavailable(string code, string message) => new(DomainErrorKind.Unavailable, code, message);
}

/// <summary>What kind of refusal a <see cref="DomainException"/> is; the API maps each to one HTTP status.</summary>
[GenerateSerializer, Alias("meiling.domain-error-kind")]
public enum DomainErrorKind
{
    Invalid = 0,
    Forbidden = 1,
    NotFound = 2,
    Conflict = 3,
    TooManyRequests = 4,
    Unavailable = 5,
    Unauthorized = 6,
}
