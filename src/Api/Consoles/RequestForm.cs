using System.Globalization;
using MeiLing.Api.Apis;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Orders;

namespace MeiLing.Api.Consoles;

/// <summary>The fields of the file-a-request form, turned into the API's body (<see cref="FileRequestBody"/>).</summary>
/// <remarks>
/// P1.5, P4.x (*reviewer*): a correction carries every field the API's correction takes (the nickname, the avatar, the
/// birth date, and the delivery of orders still on their way); the form offered the nickname alone, and a web user could
/// not correct a wrong birth date or a wrong delivery phone or address. The birth date and the form of address come in as
/// text and are read here: a value that does not bind would otherwise be dropped without a word (a correction of nothing,
/// or of less than the user asked).
/// </remarks>
public sealed class RequestForm
{
    /// <summary>Null when the form sent none or one that does not bind: never taken as the first type (access) by default.</summary>
    public DataRightsRequestType? Type { get; set; }

    /// <summary>The form's type, when it is one the platform has.</summary>
    public bool HasKnownType => Type is { } type && Enum.IsDefined(type);

    public string? Nickname { get; set; }

    public string? AvatarUrl { get; set; }

    /// <summary>As a date input sends it: <c>yyyy-MM-dd</c>.</summary>
    public string? BirthDate { get; set; }

    public string? DeliveryRecipientName { get; set; }

    public string? DeliveryPhone { get; set; }

    public string? DeliveryAddress { get; set; }

    public string? DeliveryDoorNumber { get; set; }

    /// <summary><c>female</c>, <c>male</c> or <c>unspecified</c> (no form of address); empty leaves it as it is.</summary>
    public string? DeliveryGender { get; set; }

    /// <summary>
    /// Orders paid at a till or not yet paid to readdress too, separated by spaces or commas (the ones paid in the app are
    /// readdressed anyway); the user's alone, as the API takes them (P1.5).
    /// </summary>
    public string? DeliveryOrderIds { get; set; }

    public List<string>? Categories { get; set; }

    public List<string>? Purposes { get; set; }

    public string? Reason { get; set; }

    public string? Verification { get; set; }

    private bool IsCorrection => Type == DataRightsRequestType.Correction;

    /// <summary>
    /// What is wrong with the form before it reaches the API's handler, or null: its type, the values read here, and the
    /// API's edge validation of the body, the details and the delivery (a page calls the handler past the route's own).
    /// </summary>
    public string? Problems()
    {
        // A missing or unknown type would bind as the enum's first value and file an access request nobody chose.
        if (!HasKnownType)
        {
            return "请选择申请类型。Choose the type of request.";
        }

        var unread = new List<string>();
        if (IsCorrection && Given(BirthDate) is not null && ReadBirthDate() is null)
        {
            unread.Add("出生日期应为 YYYY-MM-DD。Birth date: a date as YYYY-MM-DD.");
        }

        if (IsCorrection && Given(DeliveryGender) is not null && ReadGender() is null)
        {
            unread.Add("称呼应为 female、male 或 unspecified。Form of address: female, male or unspecified.");
        }

        if (unread.Count > 0)
        {
            return string.Join(" ", unread);
        }

        var details = ToDetails();
        return EdgeValidation.Errors(ToBody(), details, details.Delivery);
    }

    /// <summary>The request's details; a correction's fields only for a correction (a stray field never blocks another type).</summary>
    public RequestDetailsBody ToDetails() => IsCorrection
        ? new(Nickname, Given(AvatarUrl), ReadBirthDate(), ToDelivery(), Categories, Purposes)
        : new(null, null, null, null, Categories, Purposes);

    public FileRequestBody ToBody() => new(Type.GetValueOrDefault(), ToDetails(), Reason, Verification);

    // Null when no delivery field is filled in: a nickname's correction must not become one that readdresses the user's
    // orders (which needs a recent sign-in and, filed by support, the user's own confirmation: P1.5, P4.4).
    private DeliveryCorrectionBody? ToDelivery()
    {
        var orderIds = Given(DeliveryOrderIds)?.Split([' ', ',', '，', '、', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries).ToList();
        var delivery = new DeliveryCorrectionBody(
            Given(DeliveryRecipientName), Given(DeliveryPhone)?.Trim(), Given(DeliveryAddress), Given(DeliveryDoorNumber), ReadGender(),
            orderIds is { Count: > 0 } ? orderIds : null);
        return delivery == new DeliveryCorrectionBody() ? null : delivery;
    }

    private DateOnly? ReadBirthDate() =>
        DateOnly.TryParseExact(Given(BirthDate)?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    // Names only: Enum.TryParse would take "7" as a form of address there is none of.
    private FormOfAddress? ReadGender() => Given(DeliveryGender)?.Trim().ToLowerInvariant() switch
    {
        "female" => FormOfAddress.Female,
        "male" => FormOfAddress.Male,
        "unspecified" => FormOfAddress.Unspecified,
        _ => null,
    };

    // A field left blank (or only spaces) is not corrected.
    private static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
