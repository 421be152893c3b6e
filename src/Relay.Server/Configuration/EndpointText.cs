using System.Globalization;
using System.Net;

namespace Relay.Server.Configuration;

/// <summary>Parses "a.b.c.d:port" and "[v6]:port"; the port must be given and be 1–65535.</summary>
internal static class EndpointText
{
    public static bool TryParse(string? text, out IPEndPoint endpoint)
    {
        endpoint = new IPEndPoint(IPAddress.None, 0);
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        var colon = text.LastIndexOf(':');
        if (colon <= 0)
        {
            return false;
        }
        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
            if (!host.Contains(':'))
            {
                return false;
            }
        }
        else if (host.Contains(':'))
        {
            return false;
        }
        if (!IPAddress.TryParse(host, out var address)
            || !ushort.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port == 0)
        {
            return false;
        }
        endpoint = new IPEndPoint(address, port);
        return true;
    }
}
