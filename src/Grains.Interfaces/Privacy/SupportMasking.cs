using System.Globalization;
using System.Net;
using MeiLing.Grains.Activity;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Disclosures;
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
public static class SupportMasking
{
    /// <summary>
    /// Staff's free text about a user written where no erasure reaches (the append-only audit log): the numbers in it that
    /// identify a person keep their last four digits, as support reads them (P4.1, A.2).
    /// </summary>
    public static string MaskedForTheRecord(string text) => FreeTextMasking.Mask(text);

    /// <summary>
    /// A profile as support reads it: the number masked, the nickname as free text is (a number typed into it masked), no
    /// birth date. The age band that changes how a user is
    /// handled, a child under 14 (P5.1), is <see cref="UserProfile.IsMinor"/>.
    /// </summary>
    public static UserProfile MaskedForSupport(this UserProfile profile) =>
        profile with { Phone = PhoneNumber.Mask(profile.Phone), Nickname = FreeTextMasking.Mask(profile.Nickname), BirthDate = null };

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
                ? provenance with { Source = FreeTextMasking.Mask(provenance.Source), Authorization = FreeTextMasking.Mask(provenance.Authorization) }
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
            Subject = FreeTextMasking.Mask(ticket.Subject),
            Messages = [.. ticket.Messages.Select(message => message with { Text = FreeTextMasking.Mask(message.Text) })],
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

    /// <summary>
    /// A page of activity as support reads it: each entry masked, and none of the location routes'. P1.7, A.2 (*reviewer*):
    /// an app posts a sample per request, so those entries' times and counts were the minute of every sample and their
    /// number, which support's read of the samples themselves coarsens to the city and the hour.
    /// </summary>
    public static IReadOnlyList<ActivityEntry> MaskedForSupport(this IEnumerable<ActivityEntry> entries) =>
        [.. entries.Where(ShownToSupport).Select(entry => entry.MaskedForSupport())];

    /// <summary>Whether support sees the entry at all: not one of the location routes' (P1.7, A.2).</summary>
    public static bool ShownToSupport(ActivityEntry entry) => !IsLocationRoute(entry.Path);

    // /v1/users/{userId}/locations and below, as a client may have cased or ended it (routes match either way).
    private static bool IsLocationRoute(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 4
            && segments[0].Equals("v1", StringComparison.OrdinalIgnoreCase)
            && segments[1].Equals("users", StringComparison.OrdinalIgnoreCase)
            && segments[3].Equals("locations", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A notice as support reads it: free text (a rejection's reason) may hold a mobile number.</summary>
    public static UserNotification MaskedForSupport(this UserNotification notice) =>
        notice with { Message = FreeTextMasking.Mask(notice.Message) };

    /// <summary>
    /// A request as support reads it: the reason a rejection gave the user is free text an agent or operator wrote, and
    /// may hold a mobile number, as the user's notice of it does (<see cref="MaskedForSupport(UserNotification)"/>). A
    /// cancellation's follow-up code is the user's alone: with it, anyone reads the request once the account is gone.
    /// </summary>
    public static DataRightsRequestView MaskedForSupport(this DataRightsRequestView request) =>
        request with
        {
            RejectionReason = request.RejectionReason is { } reason ? FreeTextMasking.Mask(reason) : null,
            FollowUpCode = null,
            Filing = request.Filing?.MaskedForSupport(),
        };

    /// <summary>A filing as the approving agent reads it: the filer's free text may hold the caller's mobile number.</summary>
    public static FilingToApprove MaskedForSupport(this FilingToApprove filing) =>
        filing with
        {
            Reason = filing.Reason is { } reason ? FreeTextMasking.Mask(reason) : null,
            Verification = filing.Verification is { } verification ? FreeTextMasking.Mask(verification) : null,
        };

    /// <summary>
    /// A hand-over as support reads it (P1.7, *reviewer*): a legal demand's authority, document reference, fields and note
    /// are free text an operator typed, and may hold a mobile number, as the user's notice of the demand quoting them does
    /// (<see cref="MaskedForSupport(UserNotification)"/>). Every other record's note is masked likewise; its ids are not text.
    /// </summary>
    public static DisclosureRecord MaskedForSupport(this DisclosureRecord record)
    {
        var note = record.Note is { } text ? FreeTextMasking.Mask(text) : null;
        return record.RecipientKind == RecipientKind.LegalAuthority
            ? record with
            {
                Recipient = FreeTextMasking.Mask(record.Recipient),
                Fields = [.. record.Fields.Select(FreeTextMasking.Mask)],
                DocumentReference = record.DocumentReference is { } reference ? FreeTextMasking.Mask(reference) : null,
                Note = note,
            }
            : record with { Note = note };
    }

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
}
