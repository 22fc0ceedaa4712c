using System.Globalization;
using System.Text;

namespace Mnist.Tests;

/// <summary>
/// A strict reader of the Prometheus text exposition format (version 0.0.4): every line must be a HELP, a TYPE,
/// a comment or a sample with well-formed names, labels (escapes included) and value; a family's TYPE comes once,
/// before its samples, which are contiguous; no series repeats; histograms have cumulative buckets ending in +Inf
/// equal to _count. Throws <see cref="FormatException"/> naming the line.
/// </summary>
internal sealed class PrometheusText
{
    private static readonly HashSet<string> s_types = ["counter", "gauge", "histogram", "summary", "untyped"];

    private PrometheusText(Dictionary<string, string> types, List<PrometheusSample> samples)
    {
        Types = types;
        Samples = samples;
    }

    /// <summary>Family name to its TYPE.</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    public IReadOnlyList<PrometheusSample> Samples { get; }

    /// <summary>The samples named <paramref name="name"/> whose labels include every one of <paramref name="labels"/>.</summary>
    public IEnumerable<PrometheusSample> Find(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value));

    /// <summary>The sum of <see cref="Find"/>'s values (0 when there is none yet).</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) => Find(name, labels).Sum(s => s.Value);

    public static PrometheusText Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("the exposition does not end with a line feed");
        }

        var types = new Dictionary<string, string>();
        var samples = new List<PrometheusSample>();
        var series = new HashSet<string>();
        var seen = new HashSet<string>(); // families whose samples have begun
        string? currentFamily = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var line = lines[i];
            var where = $"line {i + 1} '{line}'";
            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length >= 3 && parts[1] == "TYPE")
                {
                    if (parts.Length != 4 || !IsMetricName(parts[2]) || !s_types.Contains(parts[3]))
                    {
                        throw new FormatException($"{where}: a TYPE line is '# TYPE name counter|gauge|histogram|summary|untyped'");
                    }

                    if (types.ContainsKey(parts[2]) || seen.Contains(parts[2]))
                    {
                        throw new FormatException($"{where}: TYPE after the family's samples or twice");
                    }

                    types[parts[2]] = parts[3];
                }
                else if (parts.Length >= 3 && parts[1] == "HELP" && !IsMetricName(parts[2]))
                {
                    throw new FormatException($"{where}: a HELP line names a metric");
                }

                continue;
            }

            if (line.Length == 0)
            {
                throw new FormatException($"{where}: empty line");
            }

            var sample = ParseSample(line, where);
            var family = FamilyOf(sample.Name, types);
            if (family != currentFamily)
            {
                if (!seen.Add(family))
                {
                    throw new FormatException($"{where}: the samples of {family} are not contiguous");
                }

                currentFamily = family;
            }

            var key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}";
            if (!series.Add(key))
            {
                throw new FormatException($"{where}: series {key} appears twice");
            }

            samples.Add(sample);
        }

        var parsed = new PrometheusText(types, samples);
        foreach (var (name, type) in types.Where(t => t.Value == "histogram"))
        {
            CheckHistogram(parsed, name);
        }

        return parsed;
    }

    private static string FamilyOf(string sampleName, Dictionary<string, string> types)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal)
                && types.TryGetValue(sampleName[..^suffix.Length], out var type) && type is "histogram" or "summary")
            {
                return sampleName[..^suffix.Length];
            }
        }

        return sampleName;
    }

    private static void CheckHistogram(PrometheusText parsed, string name)
    {
        var groups = parsed.Samples.Where(s => s.Name == name + "_bucket")
            .GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal)));
        foreach (var group in groups)
        {
            var buckets = group.Select(s => (Le: ParseValue(s.Labels.GetValueOrDefault("le") ?? throw new FormatException($"{name}_bucket without le"), name), s.Value)).ToList();
            for (var i = 1; i < buckets.Count; i++)
            {
                if (buckets[i].Le <= buckets[i - 1].Le || buckets[i].Value < buckets[i - 1].Value)
                {
                    throw new FormatException($"{name}{{{group.Key}}}: buckets are not in rising order or not cumulative");
                }
            }

            var labels = group.First().Labels.Where(l => l.Key != "le").Select(l => (l.Key, l.Value)).ToArray();
            var count = parsed.Find(name + "_count", labels).Where(s => s.Labels.Count == labels.Length).ToList();
            if (buckets.Count == 0 || !double.IsPositiveInfinity(buckets[^1].Le) || count.Count != 1 || count[0].Value != buckets[^1].Value
                || parsed.Find(name + "_sum", labels).Count(s => s.Labels.Count == labels.Length) != 1)
            {
                throw new FormatException($"{name}{{{group.Key}}}: no +Inf bucket equal to _count, or no _sum");
            }
        }
    }

    private static PrometheusSample ParseSample(string line, string where)
    {
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
        {
            i++;
        }

        var name = line[..i];
        if (!IsMetricName(name))
        {
            throw new FormatException($"{where}: '{name}' is not a metric name");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var start = i;
                while (i < line.Length && line[i] != '=')
                {
                    i++;
                }

                var label = line[start..i];
                if (!IsLabelName(label) || i + 1 >= line.Length || line[i + 1] != '"')
                {
                    throw new FormatException($"{where}: bad label name or no quoted value after '{label}'");
                }

                i += 2;
                var value = new StringBuilder();
                for (; i < line.Length && line[i] != '"'; i++)
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(i < line.Length ? line[i] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException($"{where}: unknown escape in a label value"),
                        } : throw new FormatException($"{where}: cut-off escape"));
                    }
                    else
                    {
                        value.Append(line[i]);
                    }
                }

                if (i >= line.Length || !labels.TryAdd(label, value.ToString()))
                {
                    throw new FormatException($"{where}: unterminated value or label '{label}' twice");
                }

                i++;
                if (i < line.Length && line[i] == ',')
                {
                    i++;
                }
                else if (i >= line.Length || line[i] != '}')
                {
                    throw new FormatException($"{where}: expected ',' or '}}' after a label");
                }
            }

            i++;
        }

        var rest = line[i..];
        if (!rest.StartsWith(' '))
        {
            throw new FormatException($"{where}: no space before the value");
        }

        var fields = rest[1..].Split(' ');
        if (fields.Length is < 1 or > 2 || (fields.Length == 2 && !long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
        {
            throw new FormatException($"{where}: a sample is 'name{{labels}} value [timestamp]'");
        }

        return new PrometheusSample(name, labels, ParseValue(fields[0], where));
    }

    private static double ParseValue(string text, string where) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => v,
        _ => throw new FormatException($"{where}: '{text}' is not a sample value"),
    };

    private static bool IsMetricName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] is '_' or ':') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    private static bool IsLabelName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
