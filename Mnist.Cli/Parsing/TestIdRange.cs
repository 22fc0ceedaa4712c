using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Mnist.Cli.Parsing;

/// <summary>
/// Ids into the MNIST test set: one id (<c>5</c>) or an inclusive range (<c>0..99</c>). The bounds are the
/// contract's (mnist.proto: "0..9999"), so a wrong id is a usage error caught before any call.
/// </summary>
internal readonly record struct TestIdRange(int First, int Last)
{
    public const int MaxId = 9999;

    public int Count => Last - First + 1;

    public IEnumerable<int> Ids => Enumerable.Range(First, Count);

    public override string ToString() => First == Last ? First.ToString(CultureInfo.InvariantCulture) : $"{First}..{Last}";

    public static bool TryParse(string text, out TestIdRange range, [NotNullWhen(false)] out string? error)
    {
        range = default;
        var separator = text.IndexOf("..", StringComparison.Ordinal);
        var firstText = separator < 0 ? text : text[..separator];
        var lastText = separator < 0 ? text : text[(separator + 2)..];
        if (!TryParseId(firstText, out var first, out error) || !TryParseId(lastText, out var last, out error))
        {
            error = $"'{text}' is not a test id range: {error}; use FROM..TO (e.g. 0..99) or one id";
            return false;
        }

        if (first > last)
        {
            error = $"'{text}' is an empty range: {first} is greater than {last}; write the smaller id first (e.g. {last}..{first})";
            return false;
        }

        range = new TestIdRange(first, last);
        return true;
    }

    public static bool TryParseId(string text, out int id, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out id))
        {
            error = $"'{text}' is not a whole number";
            return false;
        }

        if (id is < 0 or > MaxId)
        {
            error = $"{id} is out of range; test ids are 0..{MaxId}";
            return false;
        }

        return true;
    }
}
