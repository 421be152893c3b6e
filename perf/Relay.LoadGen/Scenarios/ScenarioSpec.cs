using System.Globalization;
using System.Text.RegularExpressions;

namespace Relay.LoadGen.Scenarios;

/// <summary>
/// A scenario by name: <c>forward-PAYLOAD[-xPAIRS]</c>, <c>session-scale-N</c>, <c>setup-storm-N</c>
/// or <c>smoke</c> (forward-64 with two pairs and one-second windows, for the test suite).
/// </summary>
internal sealed partial record ScenarioSpec(string Name, ScenarioKind Kind, int PayloadBytes, int Count, double? WindowSeconds)
{
    public static readonly IReadOnlyList<string> ShortSuite =
        ["forward-64", "forward-512", "forward-1400", "session-scale-4000", "setup-storm-2000"];

    public static readonly IReadOnlyList<string> FullSuite =
        ["forward-64", "forward-512", "forward-1400", "forward-64-x256", "forward-1400-x256", "session-scale-65535", "setup-storm-10000"];

    public static ScenarioSpec Parse(string name)
    {
        if (name == "smoke")
        {
            return new(name, ScenarioKind.Forwarding, 64, 2, 1.0);
        }
        var match = NamePattern().Match(name);
        if (!match.Success)
        {
            throw new ArgumentException($"unknown scenario \"{name}\" (forward-PAYLOAD[-xPAIRS], session-scale-N, setup-storm-N, smoke)");
        }
        int Number(string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        if (match.Groups["payload"].Success)
        {
            var payload = Number("payload");
            var pairs = match.Groups["pairs"].Success ? Number("pairs") : 1;
            return payload is < Traffic.PacketLayout.MinimumInnerLength or > 1400 || pairs is < 1 or > 16_384
                ? throw new ArgumentException($"scenario \"{name}\": payload {Traffic.PacketLayout.MinimumInnerLength}-1400 bytes, 1-16384 pairs")
                : new(name, ScenarioKind.Forwarding, payload, pairs, null);
        }
        var count = Number("count");
        if (count is < 1 or > 65_535)
        {
            throw new ArgumentException($"scenario \"{name}\": 1-65535 tunnels");
        }
        return new(name, match.Groups["kind"].Value == "session-scale" ? ScenarioKind.SessionScale : ScenarioKind.SetupStorm, 0, count, null);
    }

    [GeneratedRegex(@"^(forward-(?<payload>\d+)(-x(?<pairs>\d+))?|(?<kind>session-scale|setup-storm)-(?<count>\d+))$")]
    private static partial Regex NamePattern();
}
