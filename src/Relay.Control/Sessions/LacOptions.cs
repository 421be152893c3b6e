using System.Net;
using Relay.Control.L2tp;
using Relay.Control.Ppp;

namespace Relay.Control.Sessions;

/// <summary>The client (LAC + PPP peer) side: where the LNS is, and who we are to it.</summary>
public sealed record LacOptions
{
    public required IPEndPoint Lns { get; init; }

    public L2tpOptions L2tp { get; init; } = new() { Role = L2tpRole.Lac };

    /// <summary>PPP options (role is forced to peer; set Name and Credentials to the user's).</summary>
    public PppOptions Ppp { get; init; } = new() { Role = PppRole.Peer };
}
