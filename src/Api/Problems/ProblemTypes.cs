namespace MeiLing.Api.Problems;

/// <summary>The <c>type</c> URIs of the platform's problem+json bodies; each ends in a stable code.</summary>
public static class ProblemTypes
{
    public const string Base = "https://meiling.cn/problems/";

    public const string Validation = Base + "validation";
    public const string MalformedBody = Base + "malformed-body";
    public const string BodyTooLarge = Base + "body-too-large";
    public const string UnsupportedMediaType = Base + "unsupported-media-type";
    public const string Unavailable = Base + "unavailable";
    public const string Internal = Base + "internal";
    public const string NotFound = Base + "not-found";
    public const string RateLimited = Base + "rate-limited";
    public const string MalformedRequest = Base + "malformed-request";
    public const string InvalidHeader = Base + "invalid-header";

    public static string For(string code) => Base + code;
}
