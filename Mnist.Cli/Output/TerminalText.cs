using System.Globalization;
using System.Text;

namespace Mnist.Cli.Output;

/// <summary>
/// Text that came from the server (messages, versions), made safe for a terminal: control characters (escape
/// sequences, carriage returns, newlines) and bidirectional overrides are shown as <c>\n</c>, <c>\u001b</c>...,
/// so a server cannot move the cursor, rewrite earlier lines or forge a second line.
/// </summary>
internal static class TerminalText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(IsUnsafe))
        {
            return text ?? string.Empty;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => escaped.Append("\\n"),
                '\r' => escaped.Append("\\r"),
                '\t' => escaped.Append("\\t"),
                _ when IsUnsafe(c) => escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }

    // C0, DEL, C1, and the Unicode bidi embedding/override/isolate marks (Trojan Source).
    private static bool IsUnsafe(char c) => char.IsControl(c) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
