using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace MeiLing.Api.Validation;

/// <summary>
/// Text people read as written: no control characters, which a terminal, a log line or a text message would act on
/// instead of showing (a shop name that starts a new line of the member's SMS, a bell in a policy summary). A
/// <see cref="Multiline"/> text may still break lines and indent. On a list of texts, each of them.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PlainTextAttribute : ValidationAttribute
{
    public PlainTextAttribute()
        : base("Must not hold control characters.")
    {
    }

    /// <summary>Whether line breaks and tabs are allowed.</summary>
    public bool Multiline { get; init; }

    public override bool IsValid(object? value) => value switch
    {
        string text => IsPlain(text),
        IEnumerable<string?> texts => texts.All(text => text is null || IsPlain(text)),
        _ => true,
    };

    private bool IsPlain(string text) => !text.Any(c => IsRefused(c, Multiline));

    // Format characters include the bidirectional overrides that show a text in another order than it is stored; the
    // zero-width joiners stay allowed, as emoji sequences are built with them.
    private static bool IsRefused(char c, bool multiline) =>
        CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        && c is not ('\u200C' or '\u200D')
        && !(multiline && c is '\n' or '\r' or '\t');
}
