using System.Globalization;
using Relay.DataPlane.Forwarding;

namespace Relay.Server.Configuration;

/// <summary>
/// Parses one <c>policy.allow</c> rule: <c>esp</c>; <c>udp</c> or <c>tcp</c> (any port);
/// <c>udp/PORT</c>, <c>tcp/PORT</c> or <c>…/FIRST-LAST</c> (either port of the packet in range);
/// <c>proto/N</c> (an IP protocol number). <c>udp/4500</c> alone also demands an RFC 3948 payload
/// (ESP, non-ESP-marked IKE or a NAT keepalive), so port 4500 cannot carry anything else.
/// </summary>
internal static class PolicyRuleText
{
    public const string Expected = "expected \"esp\", \"udp\", \"tcp\", \"udp/PORT\", \"tcp/PORT\", \"udp/FIRST-LAST\" or \"proto/N\"";

    public static bool TryParse(string? text, out PolicyRule rule)
    {
        rule = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var parts = text.Trim().ToLowerInvariant().Split('/');
        switch (parts)
        {
            case ["esp"]:
                rule = PolicyRule.EspRule;
                return true;
            case ["udp"]:
                rule = new PolicyRule(PolicyRule.Udp);
                return true;
            case ["tcp"]:
                rule = new PolicyRule(PolicyRule.Tcp);
                return true;
            case ["proto", var number] when byte.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var protocol) && protocol != 0:
                rule = protocol is PolicyRule.Udp or PolicyRule.Tcp ? new PolicyRule(protocol) : new PolicyRule(protocol);
                return true;
            case ["udp" or "tcp", var ports] when TryPorts(ports, out var first, out var last):
                var proto = parts[0] == "udp" ? PolicyRule.Udp : PolicyRule.Tcp;
                rule = proto == PolicyRule.Udp && first == 4500 && last == 4500
                    ? PolicyRule.NatTraversal
                    : new PolicyRule(proto, first, last);
                return true;
            default:
                return false;
        }
    }

    private static bool TryPorts(string text, out ushort first, out ushort last)
    {
        last = 0;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out first) && first != 0 && (last = first) != 0;
        }
        return ushort.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out first)
               && ushort.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out last)
               && first != 0 && first <= last;
    }
}
