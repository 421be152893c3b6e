using System.Net;
using System.Text;
using Relay.Client.Configuration;
using Relay.Control.L2tp;
using Relay.Control.Ppp;
using Relay.Control.Ppp.Authentication;
using Relay.Control.Sessions;
using Relay.DataPlane.Stun;

namespace Relay.Client.Tunnel;

/// <summary>A validated <see cref="ClientConfig"/> turned into the values the client runs with.</summary>
internal sealed record ClientSettings(ClientConfig Config, IPEndPoint Relay, IPEndPoint Stun, IReadOnlyList<RoutePrefix> Routes)
{
    public static ClientSettings From(ClientConfig config)
    {
        HostPort.TryParse(config.Relay, ConfigValidator.DefaultL2tpPort, out var relay);
        IPEndPoint stun;
        if (config.Stun is null)
        {
            stun = new IPEndPoint(relay.Address, ConfigValidator.DefaultStunPort);
        }
        else
        {
            HostPort.TryParse(config.Stun, ConfigValidator.DefaultStunPort, out stun);
        }
        var routes = new List<RoutePrefix>();
        foreach (var text in config.Routes)
        {
            RoutePrefix.TryParse(text, out var route);
            routes.Add(route);
        }
        return new ClientSettings(config, relay, stun, routes);
    }

    public NatProbeOptions ProbeOptions() => new()
    {
        Server = Stun,
        ControlPort = Config.Tunnel.LocalPort == 0 ? ConfigValidator.DefaultL2tpPort : Config.Tunnel.LocalPort,
    };

    public LacOptions LacOptions()
    {
        var secret = Config.Tunnel.Secret is { } s ? Encoding.UTF8.GetBytes(s) : null;
        return new LacOptions
        {
            Lns = Relay,
            L2tp = new L2tpOptions
            {
                Role = L2tpRole.Lac,
                HostName = Config.Tunnel.HostName,
                SecretFor = _ => secret,
                HelloInterval = TimeSpan.FromSeconds(Config.Tunnel.HelloIntervalSeconds),
            },
            Ppp = new PppOptions
            {
                Role = PppRole.Peer,
                Name = Config.Ppp.User,
                AuthMethods = [PppAuthMethod.MsChapV2, PppAuthMethod.ChapMd5, PppAuthMethod.Pap],
                Credentials = new ClientCredentials(Config.Ppp.User, Config.Ppp.Password),
                EchoInterval = TimeSpan.FromSeconds(Config.Ppp.EchoIntervalSeconds),
                EchoFailures = Config.Ppp.EchoFailures,
            },
        };
    }
}
