using System.Net;

namespace Relay.Server.Firewall;

/// <summary>Parses a firewall source: one address ("203.0.113.7", "2001:db8::1") or a CIDR with zero host bits.</summary>
internal static class NetworkText
{
    public static bool TryParse(string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text) || text.Trim() != text)
        {
            return false;
        }
        if (!text.Contains('/'))
        {
            if ((!text.Contains('.') && !text.Contains(':')) || !IPAddress.TryParse(text, out var address) || text.Contains('%'))
            {
                return false;
            }
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        return (text.Contains('.') || text.Contains(':')) && IPNetwork.TryParse(text, out network);
    }
}
