using System.Text.RegularExpressions;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Tickets;
using MeiLing.Grains.Users;

namespace MeiLing.Grains.Privacy;

/// <summary>
/// What support sees of a user's personal data (P1.7, P4.4 least privilege): enough to recognise the
/// user and the thing they call about, never a whole phone number, name or address. One place, so that
/// every route shows support the same view.
/// </summary>
public static partial class SupportMasking
{
    public static UserProfile MaskedForSupport(this UserProfile profile) =>
        profile with { Phone = PhoneNumber.Mask(profile.Phone) };

    public static SavedAddress MaskedForSupport(this SavedAddress address) =>
        address with
        {
            RecipientName = Name(address.RecipientName),
            Phone = PhoneNumber.Mask(address.Phone),
            Address = Address(address.Address),
            DoorNumber = Hidden,
        };

    public static OrderView MaskedForSupport(this OrderView order) =>
        order with { Delivery = order.Delivery is { } delivery ? delivery.MaskedForSupport() : null };

    public static Delivery MaskedForSupport(this Delivery delivery) =>
        delivery with
        {
            RecipientName = Name(delivery.RecipientName),
            Phone = PhoneNumber.Mask(delivery.Phone),
            Address = Address(delivery.Address),
            DoorNumber = Hidden,
        };

    /// <summary>A ticket as support reads it: the conversation, with any mobile number in it masked.</summary>
    public static TicketView MaskedForSupport(this TicketView ticket) =>
        ticket with
        {
            Subject = MaskPhones(ticket.Subject),
            Messages = [.. ticket.Messages.Select(message => message with { Text = MaskPhones(message.Text) })],
        };

    private const string Hidden = "***";

    // 李雷 → 李*: the family name is how an agent addresses the caller.
    private static string Name(string name) => name.Length <= 1 ? "*" : string.Concat(name.AsSpan(0, 1), new string('*', Math.Min(name.Length - 1, 3)));

    // The city and district, not the street and number.
    private static string Address(string address) => address.Length <= 6 ? Hidden : string.Concat(address.AsSpan(0, 6), Hidden);

    private static string MaskPhones(string text) => MobileNumber().Replace(text, match => PhoneNumber.Mask(match.Value));

    [GeneratedRegex(@"(?<!\d)1[3-9]\d{9}(?!\d)")]
    private static partial Regex MobileNumber();
}
