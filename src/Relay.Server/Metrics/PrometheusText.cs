using System.Globalization;
using System.Text;

namespace Relay.Server.Metrics;

/// <summary>
/// Writes metric families in the Prometheus text exposition format 0.0.4: one <c># HELP</c> and one
/// <c># TYPE</c> line per family, then <c>name{label="value",...} value</c> lines. HELP text escapes
/// backslash and newline; label values also escape the double quote. Values are Go-style floats
/// (<c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>).
/// </summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(IEnumerable<MetricFamily> families)
    {
        ArgumentNullException.ThrowIfNull(families);
        var text = new StringBuilder(4096);
        foreach (var family in families)
        {
            text.Append("# HELP ").Append(family.Name).Append(' ');
            Escape(text, family.Help, quote: false);
            text.Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Kind == MetricKind.Counter ? "counter" : "gauge").Append('\n');
            foreach (var sample in family.Samples)
            {
                AppendSeries(text, family.Name, sample.Labels);
                text.Append(' ').Append(FormatValue(sample.Value)).Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary><c>name{a="x",b="y"}</c>, or just the name without labels (also the key of <c>GET /v1/stats</c>).</summary>
    public static void AppendSeries(StringBuilder text, string name, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(labels);
        text.Append(name);
        if (labels.Count == 0)
        {
            return;
        }
        text.Append('{');
        for (var i = 0; i < labels.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }
            text.Append(labels[i].Key).Append("=\"");
            Escape(text, labels[i].Value, quote: true);
            text.Append('"');
        }
        text.Append('}');
    }

    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static void Escape(StringBuilder text, string value, bool quote)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    text.Append(@"\\");
                    break;
                case '\n':
                    text.Append(@"\n");
                    break;
                case '"' when quote:
                    text.Append("\\\"");
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
    }
}
