using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Mnist.Cli.Parsing;

/// <summary>A time span as people type it: <c>500ms</c>, <c>5s</c>, <c>2m</c>, or plain seconds (<c>1.5</c>).</summary>
internal readonly record struct Duration(TimeSpan Value)
{
    /// <summary>The longest accepted: what grpc-timeout can carry comfortably, and more than any sane call.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromHours(24);

    public override string ToString() => Value switch
    {
        { TotalMilliseconds: < 1000 } => $"{Value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}ms",
        { TotalSeconds: < 120 } => $"{Value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s",
        _ => $"{Value.TotalMinutes.ToString("0.###", CultureInfo.InvariantCulture)}m",
    };

    public static bool TryParse(string text, out Duration duration, [NotNullWhen(false)] out string? error)
    {
        duration = default;
        error = null;
        var (number, unit) = Split(text.Trim());
        double scale = unit switch
        {
            "ms" => 1,
            "s" or "" => 1000,
            "m" => 60_000,
            "h" => 3_600_000,
            _ => double.NaN,
        };
        if (double.IsNaN(scale) || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            error = $"'{text}' is not a duration; use e.g. 500ms, 5s, 2m or a number of seconds";
            return false;
        }

        var milliseconds = value * scale;
        if (milliseconds < 1 || milliseconds > Max.TotalMilliseconds)
        {
            error = $"'{text}' is out of range; the timeout must be from 1ms to 24h";
            return false;
        }

        duration = new Duration(TimeSpan.FromMilliseconds(milliseconds));
        return true;
    }

    private static (string Number, string Unit) Split(string text)
    {
        var end = text.Length;
        while (end > 0 && char.IsAsciiLetter(text[end - 1]))
        {
            end--;
        }

        return (text[..end], text[end..].ToLowerInvariant());
    }
}
