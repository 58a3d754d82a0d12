using MeiLing.Api.Apis;
using MeiLing.Grains.DataRights;

namespace MeiLing.Api.Consoles;

/// <summary>The fields of the file-a-request form, turned into the API's body (<see cref="FileRequestBody"/>).</summary>
public sealed class RequestForm
{
    public DataRightsRequestType Type { get; set; }

    public string? Nickname { get; set; }

    public List<string>? Categories { get; set; }

    public List<string>? Purposes { get; set; }

    public string? Reason { get; set; }

    public string? Verification { get; set; }

    public RequestDetailsBody ToDetails() => new(Nickname, null, null, null, Categories, Purposes);

    public FileRequestBody ToBody() => new(Type, ToDetails(), Reason, Verification);
}
