using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Relay.Client.Configuration;

/// <summary>Parses "a.b.c.d" or "a.b.c.d:port" (IPv4; the port defaults to <c>defaultPort</c>).</summary>
internal static class HostPort
{
    public static bool TryParse(string? text, int defaultPort, out IPEndPoint endpoint)
    {
        endpoint = new IPEndPoint(IPAddress.None, 0);
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var host = text;
        var port = defaultPort;
        var colon = text.LastIndexOf(':');
        if (colon >= 0)
        {
            host = text[..colon];
            if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                return false;
            }
        }
        if (!IPAddress.TryParse(host, out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || host.Count(c => c == '.') != 3)
        {
            return false;
        }
        endpoint = new IPEndPoint(address, port);
        return true;
    }
}
