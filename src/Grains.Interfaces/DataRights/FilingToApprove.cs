using MeiLing.Grains.Consents;

namespace MeiLing.Grains.DataRights;

/// <summary>
/// What a second agent approves, and why (P1.7): the categories a deletion erases, the purposes a withdrawal ends, which
/// fields a correction changes (their names, never the new values, which are the user's data), and the filing agent's
/// reason and how they verified the caller. Before, the approving agent saw the type alone and approved blind, so a
/// second pair of eyes could not tell an erasure of everything from the one the user asked for.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.filing-to-approve")]
public sealed record FilingToApprove(
    [property: Id(0)] IReadOnlyList<ErasableCategory> Categories,
    [property: Id(1)] IReadOnlyList<ConsentPurpose> Purposes,
    [property: Id(2)] IReadOnlyList<string> CorrectedFields,
    [property: Id(3)] string? Reason,
    [property: Id(4)] string? Verification)
{
    public static FilingToApprove Of(RequestDetails details, string? reason, string? verification) =>
        new(details.Categories, details.Purposes, CorrectedFieldsOf(details), reason, verification);

    private static IReadOnlyList<string> CorrectedFieldsOf(RequestDetails details)
    {
        var fields = new List<string>();
        if (details.Correction is { } profile)
        {
            AddIf(fields, profile.Nickname is not null, "nickname");
            AddIf(fields, profile.AvatarUrl is not null, "avatarUrl");
            AddIf(fields, profile.BirthDate is not null, "birthDate");
        }

        if (details.Delivery is { } delivery)
        {
            AddIf(fields, delivery.RecipientName is not null, "delivery.recipientName");
            AddIf(fields, delivery.Gender is not null, "delivery.gender");
            AddIf(fields, delivery.Phone is not null, "delivery.phone");
            AddIf(fields, delivery.Address is not null, "delivery.address");
            AddIf(fields, delivery.DoorNumber is not null, "delivery.doorNumber");
        }

        return fields;
    }

    private static void AddIf(List<string> fields, bool corrected, string name)
    {
        if (corrected)
        {
            fields.Add(name);
        }
    }
}
