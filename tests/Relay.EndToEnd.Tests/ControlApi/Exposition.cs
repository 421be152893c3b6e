using System.Globalization;
using System.Text.RegularExpressions;

namespace Relay.EndToEnd.Tests.ControlApi;

/// <summary>
/// A strict reader of the Prometheus text exposition format 0.0.4, for checking relayd's /metrics:
/// every line is a HELP, a TYPE or a sample; a family's HELP and TYPE come once and before its
/// samples; names and label names follow the grammar; label values are properly escaped; no series
/// appears twice. Throws <see cref="FormatException"/> naming the line at fault.
/// </summary>
internal static partial class Exposition
{
    public static Dictionary<string, double> Parse(string text)
    {
        var series = new Dictionary<string, double>(StringComparer.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var helps = new HashSet<string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        if (lines[^1].Length != 0)
        {
            throw new FormatException("the exposition must end with a newline");
        }
        for (var n = 0; n < lines.Length - 1; n++)
        {
            var line = lines[n];
            Match m;
            if ((m = HelpLine().Match(line)).Success)
            {
                if (!helps.Add(m.Groups[1].Value) || types.ContainsKey(m.Groups[1].Value) && series.Keys.Any(k => Family(k) == m.Groups[1].Value))
                {
                    throw new FormatException($"line {n + 1}: HELP for {m.Groups[1].Value} repeated or after its samples");
                }
            }
            else if ((m = TypeLine().Match(line)).Success)
            {
                if (!types.TryAdd(m.Groups[1].Value, m.Groups[2].Value))
                {
                    throw new FormatException($"line {n + 1}: TYPE for {m.Groups[1].Value} repeated");
                }
            }
            else if ((m = SampleLine().Match(line)).Success)
            {
                var name = m.Groups[1].Value;
                if (!types.TryGetValue(name, out var type))
                {
                    throw new FormatException($"line {n + 1}: sample of {name} before its TYPE");
                }
                if (type == "counter" && !name.EndsWith("_total", StringComparison.Ordinal))
                {
                    throw new FormatException($"line {n + 1}: counter {name} does not end in _total");
                }
                var key = name + m.Groups[2].Value;
                var value = m.Groups[3].Value switch
                {
                    "+Inf" => double.PositiveInfinity,
                    "-Inf" => double.NegativeInfinity,
                    "NaN" => double.NaN,
                    var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
                };
                if (!series.TryAdd(key, value))
                {
                    throw new FormatException($"line {n + 1}: series {key} repeated");
                }
            }
            else
            {
                throw new FormatException($"line {n + 1}: not HELP, TYPE or a sample: {line}");
            }
        }
        return series;
    }

    private static string Family(string key) => key.Split('{')[0];

    [GeneratedRegex(@"^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (?:[^\\\n]|\\\\|\\n)*$")]
    private static partial Regex HelpLine();

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)((?:\{[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\\n]|\\\\|\\""|\\n)*""(?:,[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\\n]|\\\\|\\""|\\n)*"")*\})?) ([-+]?(?:[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|Inf|NaN)|\+Inf|-Inf|NaN)$")]
    private static partial Regex SampleLine();
}
