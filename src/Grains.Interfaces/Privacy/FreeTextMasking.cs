using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MeiLing.Grains.Users;

namespace MeiLing.Grains.Privacy;

/// <summary>
/// Free text a user or an agent typed (a ticket, a rejection's reason, an import's provenance, a nickname) as support reads
/// it (P1.7): the numbers in it that identify a person, however they were written, keep their last four digits only.
/// Mobile and landline numbers, resident identity card numbers (A.2: identity documents) and bank card numbers (A.2:
/// property); an e-mail address keeps the first character of its name and its domain (A.1: network identifiers).
/// Masking digits that happen to spell one of them costs support a few digits; leaving one whole costs the user their
/// privacy.
/// </summary>
internal static partial class FreeTextMasking
{
    public static string Mask(string text)
    {
        // Found in the reading (Chinese numerals read as digits, one character for one), replaced at the same place in
        // the text: 一三九一二三四五六七八 is the same number to anyone reading the ticket.
        var reading = Reading(text);
        var masked = new StringBuilder(text.Length);
        var copied = 0;
        foreach (var (index, length, replacement) in Numbers(reading))
        {
            masked.Append(text, copied, index - copied).Append(replacement);
            copied = index + length;
        }

        return copied == 0 ? text : masked.Append(text, copied, text.Length - copied).ToString();
    }

    // Long numbers first (an identity card's 18 digits hold no mobile number's 11 in a row, but a card number written
    // in groups could), then mobile numbers in what is left.
    private static IEnumerable<Masked> Numbers(string reading)
    {
        var found = new List<Masked>();
        for (var match = LongNumber().Match(reading); match.Success; match = match.NextMatch())
        {
            var digits = Digits(match.Value);
            if (IsIdentityCardNumber(digits) || IsBankCardNumber(digits))
            {
                found.Add(new Masked(match.Index, match.Length, LastFour(digits)));
            }
            else
            {
                found.AddRange(IdentityCardNumbersWithin(match));
            }
        }

        for (var run = LongRun().Match(reading); run.Success; run = run.NextMatch())
        {
            found.AddRange(IdentityCardNumbersWithin(run));
        }

        found.AddRange([.. BankCardNumbersInGroups(reading, found)]);
        // An address's name first: 13912345678@139.com is a mobile number too, masked with the address it names.
        found.AddRange([.. InGaps(reading, found, EmailAddresses)]);
        found.AddRange([.. InGaps(reading, found, MobileNumbers)]);
        found.AddRange([.. InGaps(reading, found, LandlineNumbers)]);
        return found.OrderBy(span => span.Index);
    }

    // What a finder finds between the spans found already, each gap searched alone.
    private static IEnumerable<Masked> InGaps(string reading, List<Masked> found, Func<string, int, int, IEnumerable<Masked>> finder)
    {
        var from = 0;
        foreach (var span in found.OrderBy(span => span.Index).Append(new Masked(reading.Length, 0, "")))
        {
            if (span.Index > from)
            {
                foreach (var masked in finder(reading, from, span.Index))
                {
                    yield return masked;
                }
            }

            from = Math.Max(from, span.Index + span.Length);
        }
    }

    // A bank card number written in groups beside other numbers (1. 6222 0210 0112 3456 789, 4111 1111 1111 1111，2张): the
    // long-number pass took a neighbour's digits with it and found no card there. Each run of groups is tried again by
    // whole groups of three digits or more, the longest span of 16-19 digits passing the Luhn check first; only whole
    // groups, so the chance of a Luhn pass in a run of unrelated digits is not tried at every offset.
    private static IEnumerable<Masked> BankCardNumbersInGroups(string reading, List<Masked> found)
    {
        for (var run = GroupedDigits().Match(reading); run.Success; run = run.NextMatch())
        {
            var groups = DigitGroup().Matches(run.Value);
            for (var first = 0; first < groups.Count; first++)
            {
                // A card's span is whole groups of three digits or more, 19 digits at most, so six groups at most: only
                // those are tried, and the pass stays linear in the run (tried against every later group, a ticket of
                // "1 1 1 …" cost cubic time on every support read).
                var furthest = first - 1;
                for (var (next, digitCount) = (first, 0); next < groups.Count && groups[next].Length >= 3; next++)
                {
                    digitCount += groups[next].Length;
                    if (digitCount > 19)
                    {
                        break;
                    }

                    furthest = next;
                }

                for (var last = furthest; last >= first; last--)
                {
                    var span = Enumerable.Range(first, last - first + 1).Select(i => groups[i]).ToList();
                    var digits = Digits(string.Concat(span.Select(group => group.Value)));
                    if (!IsBankCardNumber(digits))
                    {
                        continue;
                    }

                    var index = run.Index + groups[first].Index;
                    var end = run.Index + groups[last].Index + groups[last].Length;
                    if (!found.Any(other => other.Index < end && index < other.Index + other.Length))
                    {
                        yield return new Masked(index, end - index, LastFour(digits));
                    }

                    first = last;
                    break;
                }
            }
        }
    }

    // An e-mail address keeps the first character of its name, and its domain: enough to tell which of the user's
    // addresses it is (z***@163.com), not to write to it.
    private static IEnumerable<Masked> EmailAddresses(string reading, int from, int to)
    {
        for (var match = EmailAddress().Match(reading[..to], from); match.Success; match = match.NextMatch())
        {
            var name = match.Groups["name"];
            yield return new Masked(name.Index, name.Length, name.Value[..1] + "***");
        }
    }

    // A landline keeps its last four digits, as a mobile number does: (010) 6234-5678, 0755 1234 5678.
    private static IEnumerable<Masked> LandlineNumbers(string reading, int from, int to)
    {
        for (var match = LandlineNumber().Match(reading[..to], from); match.Success; match = match.NextMatch())
        {
            var digits = Digits(match.Value);
            yield return new Masked(match.Index, match.Length, LastFour(digits));
        }
    }

    // A run that is neither whole may hold an identity card number beside other digits (身份证 610113200805171235 2张,
    // 1、610113…): every 18 characters of it are tried, and those that pass the check are masked where they stand. Not a
    // bank card: one of the many 16-19-digit windows of a long run would pass the Luhn check by chance.
    private static IEnumerable<Masked> IdentityCardNumbersWithin(Match run)
    {
        var at = new List<int>();
        for (var i = 0; i < run.Length; i++)
        {
            if (char.IsDigit(run.Value[i]) || run.Value[i] is 'X' or 'x' or 'Ｘ' or 'ｘ')
            {
                at.Add(i);
            }
        }

        var digits = Digits(run.Value);
        for (var start = 0; start + 18 <= digits.Length; start++)
        {
            var window = digits.Substring(start, 18);
            if (IsIdentityCardNumber(window))
            {
                var from = run.Index + at[start];
                yield return new Masked(from, run.Index + at[start + 17] + 1 - from, LastFour(window));
                start += 17;
            }
        }
    }

    // A run of digits that is no mobile number is looked at again from its second digit: a stray digit before a number
    // (No. 5 1 3 9 1 2 3 4 5 6 7 8) would otherwise take its place in the run and leave the number whole.
    private static IEnumerable<Masked> MobileNumbers(string reading, int from, int to)
    {
        var part = reading[..to];
        var match = MobileNumber().Match(part, from);
        while (match.Success)
        {
            if (PhoneNumber.TryNormalize(Digits(match.Groups["number"].Value), out var number))
            {
                yield return new Masked(match.Index, match.Length, PhoneNumber.Mask(number));
                match = MobileNumber().Match(part, match.Index + match.Length);
            }
            else
            {
                match = MobileNumber().Match(part, match.Groups["number"].Index + 1);
            }
        }
    }

    // Where in the text a number was found, and what support reads in its place.
    private readonly record struct Masked(int Index, int Length, string Replacement);

    private static string LastFour(string digits) => string.Concat(new string('*', digits.Length - 4), digits[^4..]);

    // GB 11643: 17 digits (the region, the birth date, a sequence) and an ISO 7064 MOD 11-2 check character, 0-9 or X.
    private static bool IsIdentityCardNumber(string digits)
    {
        if (digits.Length != 18 || !digits[..17].All(char.IsAsciiDigit)
            || !DateOnly.TryParseExact(digits[6..14], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth) || birth.Year < 1900)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (digits[i] - '0') * IdentityWeights[i];
        }

        return "10X98765432"[sum % 11] == char.ToUpperInvariant(digits[17]);
    }

    private static readonly int[] IdentityWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    // 16 to 19 digits passing the Luhn check, as every UnionPay, Visa and Mastercard number does.
    private static bool IsBankCardNumber(string digits)
    {
        if (digits.Length is < 16 or > 19 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[^(i + 1)] - '0';
            sum += i % 2 == 0 ? digit : (digit * 2) - (digit > 4 ? 9 : 0);
        }

        return sum % 10 == 0;
    }

    // The digits in ASCII, whatever digits they were written in (a Chinese keyboard's full-width １３９…), and an
    // identity card's check character X.
    private static string Digits(string written) =>
        string.Concat(written.Where(c => char.IsDigit(c) || c is 'X' or 'x' or 'Ｘ' or 'ｘ')
            .Select(c => char.IsDigit(c) ? (char)('0' + (int)char.GetNumericValue(c)) : 'X'));

    private static string Reading(string text)
    {
        if (!text.Any(ChineseNumerals.ContainsKey))
        {
            return text;
        }

        return string.Create(text.Length, text, static (reading, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                reading[i] = ChineseNumerals.TryGetValue(text[i], out var digit) ? digit : text[i];
            }
        });
    }

    // The numerals people write a number in, everyday and financial (大写), simplified and traditional, and 幺 as 1 is
    // read out in a phone number.
    private static readonly Dictionary<char, char> ChineseNumerals = new()
    {
        ['〇'] = '0', ['零'] = '0', ['一'] = '1', ['壹'] = '1', ['幺'] = '1', ['二'] = '2', ['贰'] = '2', ['貳'] = '2',
        ['两'] = '2', ['兩'] = '2', ['三'] = '3', ['叁'] = '3', ['參'] = '3', ['四'] = '4', ['肆'] = '4', ['五'] = '5',
        ['伍'] = '5', ['六'] = '6', ['陆'] = '6', ['陸'] = '6', ['七'] = '7', ['柒'] = '7', ['八'] = '8', ['捌'] = '8',
        ['九'] = '9', ['玖'] = '9',
    };

    // The forms people write a number in, not only 11 digits in a row: +86, 0086 or 86 before it, and separators between
    // any two digits, up to six of them (139    1234    5678): spaces, dashes of every length, dots, slashes, underscores,
    // commas, colons, stars, tildes, brackets (+86 139 1234 5678, (139)1234-5678, 139—1234—5678, 139*1234*5678), in
    // ASCII or full width (＋８６ １３９－１２３４－５６７８, an ideographic space), or in any other script's digits: \d
    // is every decimal digit, so the digits are checked by their value, not their code.
    // A trunk 0 (013912345678, dialled from another city) or an IP call prefix (17951, 17911, 12593) before the number is
    // masked with it.
    [GeneratedRegex(@"(?<!\d)(?:[(（]?(?:[+＋]|[0０]{2})?[8８][6６][)）]?" + Separator + @"*|(?:[0０]|1795[01]|17911|12593)" + Separator + @"{0,3})?(?<number>[(（]?\d(?:" + Separator + @"{0,6}\d){10})(?!\d)")]
    private static partial Regex MobileNumber();

    // An area code (0 and two or three digits, maybe in brackets) and a local number of seven or eight digits.
    [GeneratedRegex(@"(?<!\d)[(（]?[0０]\d{2,3}[)）]?" + Separator + @"{0,3}\d{3,4}" + Separator + @"{0,3}\d{4}(?!\d)")]
    private static partial Regex LandlineNumber();

    [GeneratedRegex(@"(?<![A-Za-z0-9._%+\-])(?<name>[A-Za-z0-9._%+\-]+)@(?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,}")]
    private static partial Regex EmailAddress();

    // Two groups of digits or more joined by separators, and the groups of one.
    [GeneratedRegex(@"(?<!\d)\d+(?:" + Separator + @"{1,6}\d+)+(?!\d)")]
    private static partial Regex GroupedDigits();

    [GeneratedRegex(@"\d+")]
    private static partial Regex DigitGroup();

    // 15 to 19 digits and maybe a check character, in the same forms, up to six separators apart as a mobile number may
    // be (an identity card read out in groups of 6, 8 and 4, copied from a form with its spacing).
    [GeneratedRegex(@"(?<![\dXxＸｘ])\d(?:" + Separator + @"{0,6}\d){14,18}(?:" + Separator + @"{0,6}[XxＸｘ])?(?![\dXxＸｘA-Za-z])")]
    private static partial Regex LongNumber();

    // 20 digits or more in a row (no separator): no number of its own, but it may hold an identity card number
    // (订单12610113200805171235), which no shorter pattern finds inside it.
    [GeneratedRegex(@"(?<![\dXxＸｘ])\d{20,}[XxＸｘ]?(?![\dXxＸｘ])")]
    private static partial Regex LongRun();

    private const string Separator = @"[\s\-‐‑‒–—―－ー.．·・/／_＿,，、:：*＊~～(（)）]";
}
