using System.Text;
using Relay.Control.L2tp;
using Relay.Control.L2tp.Transport;
using Relay.Server.Configuration;

namespace Relay.Server.L2tp;

/// <summary>Maps the validated <c>tunnel</c> configuration onto the LNS engine's options.</summary>
internal static class L2tpOptionsFactory
{
    public static L2tpOptions Create(TunnelConfig tunnel)
    {
        var defaultSecret = tunnel.Secret is null ? null : Encoding.UTF8.GetBytes(tunnel.Secret);
        var perPeer = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (host, secret) in tunnel.PeerSecrets)
        {
            perPeer[host] = Encoding.UTF8.GetBytes(secret);
        }
        return new L2tpOptions
        {
            Role = L2tpRole.Lns,
            HostName = tunnel.HostName,
            SecretFor = host => host is not null && perPeer.TryGetValue(host, out var s) ? s : defaultSecret,
            HideAvps = tunnel.HideAvps,
            HelloInterval = TimeSpan.FromSeconds(tunnel.HelloIntervalSeconds),
            Reliability = new ReliableDeliveryOptions
            {
                MaxRetransmissions = tunnel.Retries,
                MaxRetransmitInterval = TimeSpan.FromSeconds(tunnel.RetransmitCapSeconds),
                ReceiveWindow = (ushort)tunnel.ReceiveWindow,
            },
            MaxTunnels = tunnel.MaxTunnels,
            MaxSessionsPerTunnel = tunnel.MaxSessionsPerTunnel,
            MaxSessions = tunnel.MaxSessions,
            SccrqPerSecondPerSource = tunnel.SccrqPerSecondPerSource,
        };
    }
}
