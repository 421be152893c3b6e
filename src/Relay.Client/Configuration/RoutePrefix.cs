using System.Net;
using Relay.Control.Addressing;

namespace Relay.Client.Configuration;

/// <summary>One entry of <c>routes</c>: an IPv4 network and prefix length (a bare address is a /32).</summary>
internal readonly record struct RoutePrefix(IPAddress Network, int PrefixLength)
{
    public static bool TryParse(string? text, out RoutePrefix route)
    {
        route = default;
        if (string.IsNullOrWhiteSpace(text) || !Ipv4Prefix.TryParse(text, out var prefix))
        {
            return false;
        }
        route = new RoutePrefix(Ipv4Address.ToIPAddress(prefix.Network), prefix.PrefixLength);
        return true;
    }

    public override string ToString() => $"{Network}/{PrefixLength}";
}
