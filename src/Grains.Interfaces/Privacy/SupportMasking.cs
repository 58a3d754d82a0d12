using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MeiLing.Grains.Activity;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Notifications;
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
    /// <summary>
    /// A profile as support reads it: the number masked, no birth date. The age band that changes how a user is
    /// handled, a child under 14 (P5.1), is <see cref="UserProfile.IsMinor"/>.
    /// </summary>
    public static UserProfile MaskedForSupport(this UserProfile profile) =>
        profile with { Phone = PhoneNumber.Mask(profile.Phone), BirthDate = null };

    /// <summary>
    /// A saved address as support reads it; where an imported one came from stays readable (P1.8), with any mobile number
    /// in that free text, written by the importing party, masked as in a ticket.
    /// </summary>
    public static SavedAddress MaskedForSupport(this SavedAddress address) =>
        address with
        {
            RecipientName = Name(address.RecipientName),
            Phone = PhoneNumber.Mask(address.Phone),
            Address = Address(address.Address),
            DoorNumber = Hidden,
            Provenance = address.Provenance is { } provenance
                ? provenance with { Source = MaskPhones(provenance.Source), Authorization = MaskPhones(provenance.Authorization) }
                : null,
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

    /// <summary>
    /// Location samples as support reads them: the city and the hour, not the place and the minute (precise
    /// location and tracks are sensitive, A.2). Samples that coarsen alike are shown once, so a day's track
    /// reads as the few cities and hours it passed through.
    /// </summary>
    public static IReadOnlyList<LocationSample> MaskedForSupport(this IEnumerable<LocationSample> samples) =>
        [.. samples.Select(sample => sample.MaskedForSupport()).Distinct()];

    public static LocationSample MaskedForSupport(this LocationSample sample) =>
        sample with
        {
            Latitude = Math.Round(sample.Latitude, 1, MidpointRounding.AwayFromZero),
            Longitude = Math.Round(sample.Longitude, 1, MidpointRounding.AwayFromZero),
            AccuracyMeters = Math.Max(sample.AccuracyMeters, CityAccuracyMeters),
            At = sample.At.AddTicks(-(sample.At.UtcTicks % TimeSpan.TicksPerHour)),
        };

    /// <summary>
    /// An activity entry as support reads it: when, which route, the language and system, and the caller's
    /// network but not their host; neither the full user agent (a fingerprint) nor what they searched for.
    /// </summary>
    public static ActivityEntry MaskedForSupport(this ActivityEntry entry) =>
        entry with
        {
            IpAddress = entry.IpAddress is null ? null : NetworkOf(entry.IpAddress),
            UserAgent = entry.UserAgent is null ? null : Hidden,
            SearchTerms = entry.SearchTerms is null ? null : Hidden,
        };

    /// <summary>A notice as support reads it: free text (a rejection's reason) may hold a mobile number.</summary>
    public static UserNotification MaskedForSupport(this UserNotification notice) =>
        notice with { Message = MaskPhones(notice.Message) };

    /// <summary>
    /// A request as support reads it: the reason a rejection gave the user is free text an agent or operator wrote, and
    /// may hold a mobile number, as the user's notice of it does (<see cref="MaskedForSupport(UserNotification)"/>).
    /// </summary>
    public static DataRightsRequestView MaskedForSupport(this DataRightsRequestView request) =>
        request.RejectionReason is { } reason ? request with { RejectionReason = MaskPhones(reason) } : request;

    /// <summary>The accuracy support is told of a coarsened sample: the side of a 0.1° cell, about 11 km.</summary>
    public const double CityAccuracyMeters = 11_000;

    private const string Hidden = "***";

    // 李雷 → 李*: the family name is how an agent addresses the caller. Counted in characters as read (text elements), so
    // a rare character outside the basic plane (𠀀) or an emoji is kept whole, never cut into half a surrogate pair.
    private static string Name(string name)
    {
        var characters = new StringInfo(name);
        return characters.LengthInTextElements <= 1
            ? "*"
            : string.Concat(characters.SubstringByTextElements(0, 1), new string('*', Math.Min(characters.LengthInTextElements - 1, 3)));
    }

    // The city and district, not the street and number.
    private static string Address(string address)
    {
        var characters = new StringInfo(address);
        return characters.LengthInTextElements <= 6 ? Hidden : string.Concat(characters.SubstringByTextElements(0, 6), Hidden);
    }

    // 203.0.113.7 → 203.0.*.*; an IPv6 address keeps its /48 site prefix: 2001:db8:85a3::*.
    private static string NetworkOf(string ipAddress)
    {
        if (!IPAddress.TryParse(ipAddress, out var address))
        {
            return Hidden;
        }

        var bytes = (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).GetAddressBytes();
        return bytes.Length == 4
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes[0]}.{bytes[1]}.*.*")
            : string.Create(CultureInfo.InvariantCulture, $"{Hextet(bytes, 0):x}:{Hextet(bytes, 2):x}:{Hextet(bytes, 4):x}::*");
    }

    private static int Hextet(byte[] bytes, int at) => (bytes[at] << 8) | bytes[at + 1];

    // A run of digits that is no mobile number is looked at again from its second digit: a stray digit before a number
    // (No. 5 1 3 9 1 2 3 4 5 6 7 8) would otherwise take its place in the run and leave the number whole.
    private static string MaskPhones(string text)
    {
        StringBuilder? masked = null;
        var copied = 0;
        var match = MobileNumber().Match(text);
        while (match.Success)
        {
            if (MobileDigits(match.Groups["number"].Value) is not { } number)
            {
                match = MobileNumber().Match(text, match.Groups["number"].Index + 1);
                continue;
            }

            (masked ??= new StringBuilder(text.Length)).Append(text, copied, match.Index - copied).Append(PhoneNumber.Mask(number));
            copied = match.Index + match.Length;
            match = MobileNumber().Match(text, copied);
        }

        return masked is null ? text : masked.Append(text, copied, text.Length - copied).ToString();
    }

    // The number's 11 digits in ASCII, whatever digits they were written in (a Chinese keyboard's full-width
    // １３９１２３４５６７８ among them), or null when they are not a mainland mobile number (an 11-digit waybill stays).
    private static string? MobileDigits(string written)
    {
        var digits = string.Concat(written.Where(char.IsDigit).Select(c => (char)('0' + (int)char.GetNumericValue(c))));
        return PhoneNumber.TryNormalize(digits, out var number) ? number : null;
    }

    // The forms people write a number in, not only 11 digits in a row: +86, 0086 or 86 before it, and up to three
    // separators between any two digits: spaces, dashes of every length, dots, slashes, underscores, commas, brackets
    // (+86 139 1234 5678, (139)1234-5678, 139—1234—5678, 139/1234/5678, 139，1234，5678, 1 3 9 1 2 3 4 5 6 7 8), in ASCII
    // or full width (＋８６ １３９－１２３４－５６７８, an ideographic space), or in any other script's digits: \d is every
    // decimal digit, so the digits are checked by their value, not their code. Masking a list of numbers that happens to
    // spell a mobile one costs support a few digits; leaving a number whole costs the user their privacy (P1.7).
    [GeneratedRegex(@"(?<!\d)(?:[(（]?(?:[+＋]|[0０]{2})?[8８][6６][)）]?" + Separator + @"*)?(?<number>[(（]?\d(?:" + Separator + @"{0,3}\d){10})(?!\d)")]
    private static partial Regex MobileNumber();

    private const string Separator = @"[\s\-‐‑‒–—―－.．·・/／_＿,，、(（)）]";
}
