namespace MeiLing.Tests.Fuzz;

/// <summary>
/// One malformed request, exactly as it goes on the wire: the raw path (dot segments and escapes kept),
/// the raw query, headers and body bytes. <paramref name="Kind"/> names what is wrong with it.
/// </summary>
internal sealed record FuzzRequest(
    string Caller,
    string Operation,
    string Kind,
    string Method,
    string Path,
    string Query = "",
    string? ContentType = null,
    byte[]? Body = null,
    IReadOnlyDictionary<string, string>? Headers = null)
{
    public override string ToString() => $"{Caller} {Method} {Path}{Query} [{Operation}: {Kind}]";
}

/// <summary>What came back: the status, the content type, and the body.</summary>
internal sealed record FuzzResponse(FuzzRequest Request, int Status, string? ContentType, string Body);
