using System.Security.Cryptography;

namespace MeiLing.Grains.Platform;

/// <summary>
/// Opaque, unguessable ids with a short prefix that names the kind of thing (<c>mer_…</c>, <c>stf_…</c>):
/// readable in logs and support tools, and never derived from personal data.
/// </summary>
public static class EntityId
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public const string MerchantPrefix = "mer";
    public const string StaffPrefix = "stf";
    public const string UserPrefix = "usr";
    public const string ReceiptPrefix = "rcp";
    public const string OrderPrefix = "ord";
    public const string PaymentPrefix = "pay";
    public const string TicketPrefix = "tkt";
    public const string RequestPrefix = "req";
    public const string NotificationPrefix = "ntf";
    public const string EventPrefix = "evt";
    public const string DeliveryPrefix = "whd";
    public const string TransferPrefix = "trf";
    public const string LegalDisclosurePrefix = "lgl";
    public const string RefundPrefix = "rfd";
    public const string SettlementPrefix = "stl";
    public const string StockMovementPrefix = "stm";
    public const string PriceChangePrefix = "prc";

    /// <summary>A user's objection to a business transfer: the cause its merchant's erasure notice is listed under.</summary>
    public const string ObjectionPrefix = "obj";

    /// <summary>A new id: the prefix, an underscore and 26 base32 characters (130 random bits).</summary>
    public static string New(string prefix)
    {
        Span<byte> random = stackalloc byte[26];
        RandomNumberGenerator.Fill(random);
        Span<char> chars = stackalloc char[26];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[random[i] & 31];
        }

        return $"{prefix}_{chars}";
    }

    /// <summary>
    /// A new id for a record the platform makes many of (an order, a payment, a receipt): the same shape as
    /// <see cref="New"/>, its first 10 characters the creation time in milliseconds written so that ids sort by it as
    /// text, then 16 random characters (80 bits).
    /// </summary>
    /// <remarks>
    /// Why: such an id is a key in several PostgreSQL indexes (the grain state, the listing, the line facts). Random
    /// keys land on a random page of an index far larger than memory, and the first change to a page after each
    /// checkpoint logs the whole page: 1.7 page images per order. Ids made in time order land where the last ones did.
    /// The time in the id is the record's own creation time, which the record shows anyway; identities (users,
    /// merchants, staff) keep <see cref="New"/>, so an id never tells when someone signed up.
    /// </remarks>
    public static string NewInTimeOrder(string prefix) => NewInTimeOrder(prefix, DateTimeOffset.UtcNow);

    /// <summary><see cref="NewInTimeOrder(string)"/> at <paramref name="at"/>.</summary>
    public static string NewInTimeOrder(string prefix, DateTimeOffset at)
    {
        Span<byte> random = stackalloc byte[RandomChars];
        RandomNumberGenerator.Fill(random);
        Span<char> chars = stackalloc char[TimeChars + RandomChars];
        var milliseconds = (ulong)Math.Max(0, at.ToUnixTimeMilliseconds());
        for (var i = TimeChars - 1; i >= 0; i--)
        {
            chars[i] = SortableAlphabet[(int)(milliseconds & 31)];
            milliseconds >>= 5;
        }

        for (var i = 0; i < RandomChars; i++)
        {
            chars[TimeChars + i] = Alphabet[random[i] & 31];
        }

        return $"{prefix}_{chars}";
    }

    // The same 32 characters in ascending byte order (the database sorts text by bytes, C.UTF-8), for the time part.
    private const string SortableAlphabet = "234567abcdefghijklmnopqrstuvwxyz";

    // 50 bits of milliseconds last until the year 37,648.
    private const int TimeChars = 10;
    private const int RandomChars = 16;

    /// <summary>
    /// An id derived from a client's idempotency key, so a retried create addresses the same grain:
    /// the same scope and key always give the same id; different ones never collide in practice.
    /// </summary>
    public static string FromIdempotencyKey(string prefix, string scope, string key)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{scope}\n{key}"));
        Span<char> chars = stackalloc char[26];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[hash[i] & 31];
        }

        return $"{prefix}_{chars}";
    }

    /// <summary>Whether <paramref name="id"/> has the shape of an id made by <see cref="New"/> with <paramref name="prefix"/>.</summary>
    public static bool IsWellFormed(string? id, string prefix)
    {
        if (id is null || id.Length != prefix.Length + 27 || !id.StartsWith(prefix, StringComparison.Ordinal) || id[prefix.Length] != '_')
        {
            return false;
        }

        foreach (var c in id.AsSpan(prefix.Length + 1))
        {
            if (!Alphabet.Contains(c))
            {
                return false;
            }
        }

        return true;
    }
}
