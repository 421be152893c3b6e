using System.Text.Json;

namespace Relay.Cli.Commands;

/// <summary>Per-second rates between two /v1/stats answers, for <c>watch --json</c>.</summary>
internal static class Rates
{
    public static string Json(JsonElement before, JsonElement after, double seconds, DateTime at)
    {
        var old = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var counter in before.GetProperty("counters").EnumerateObject())
        {
            old[counter.Name] = counter.Value.GetInt64();
        }
        var rates = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var counter in after.GetProperty("counters").EnumerateObject())
        {
            var delta = counter.Value.GetInt64() - old.GetValueOrDefault(counter.Name);
            if (counter.Name.Split('{')[0].EndsWith("_total", StringComparison.Ordinal) && delta != 0)
            {
                rates[counter.Name] = Math.Round(delta / seconds, 3);
            }
        }
        return JsonSerializer.Serialize(new RateFrame(at, Math.Round(seconds, 3), rates), CliJsonContext.Default.RateFrame);
    }
}
