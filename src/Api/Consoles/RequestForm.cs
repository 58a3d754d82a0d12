using MeiLing.Api.Apis;
using MeiLing.Grains.DataRights;

namespace MeiLing.Api.Consoles;

/// <summary>The fields of the file-a-request form, turned into the API's body (<see cref="FileRequestBody"/>).</summary>
public sealed class RequestForm
{
    /// <summary>Null when the form sent none or one that does not bind: never taken as the first type (access) by default.</summary>
    public DataRightsRequestType? Type { get; set; }

    /// <summary>The form's type, when it is one the platform has.</summary>
    public bool HasKnownType => Type is { } type && Enum.IsDefined(type);

    public string? Nickname { get; set; }

    public List<string>? Categories { get; set; }

    public List<string>? Purposes { get; set; }

    public string? Reason { get; set; }

    public string? Verification { get; set; }

    public RequestDetailsBody ToDetails() => new(Nickname, null, null, null, Categories, Purposes);

    public FileRequestBody ToBody() => new(Type.GetValueOrDefault(), ToDetails(), Reason, Verification);
}
