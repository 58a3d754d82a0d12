namespace MeiLing.Grains.DataRights;

/// <summary>
/// How the access bundle is read and cut into parts (P4.4): what one download holds at a time is a page of what it
/// reads, the calls in flight and a part, whatever the user's data adds up to.
/// </summary>
public sealed class ExportSettings
{
    /// <summary>
    /// The most characters of JSON one part of the bundle holds; a single record larger than this (a long ticket) is
    /// a part of its own. 64 K characters: a part is a fraction of a megabyte on the wire and in memory.
    /// </summary>
    public int PartCharacters { get; set; } = 64 * 1024;

    /// <summary>How many rows (ids, location samples, disclosures, consent receipts) one read of a table takes.</summary>
    public int RowsPerRead { get; set; } = 500;

    /// <summary>
    /// How many rows of the activity log one read takes: a row is one flush of the user's requests and holds up to
    /// 101 entries (<c>ActivityCoalescing</c>), so a read takes fewer of them.
    /// </summary>
    public int ActivityRowsPerRead { get; set; } = 20;

    /// <summary>How many records (orders, cards, tickets, requests) are asked of their grains at once.</summary>
    public int CallsInFlight { get; set; } = Platform.GrainFanOut.DefaultWidth;
}
