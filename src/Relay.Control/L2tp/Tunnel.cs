using System.Net;
using Relay.Control.L2tp.Transport;

namespace Relay.Control.L2tp;

/// <summary>One control connection and its sessions.</summary>
public sealed class Tunnel
{
    internal Tunnel(ushort localId, IPEndPoint peer, TunnelState state, bool initiator, ControlChannel channel, TimeSpan now)
    {
        LocalId = localId;
        Peer = peer;
        State = state;
        IsInitiator = initiator;
        Channel = channel;
        CreatedAt = now;
        LastHeard = now;
    }

    public ushort LocalId { get; }

    public ushort PeerId { get; internal set; }

    public IPEndPoint Peer { get; internal set; }

    public TunnelState State { get; internal set; }

    /// <summary>We sent the SCCRQ.</summary>
    public bool IsInitiator { get; }

    public string? PeerHostName { get; internal set; }

    public TimeSpan CreatedAt { get; }

    public IReadOnlyDictionary<ushort, Session> Sessions => SessionTable;

    internal Dictionary<ushort, Session> SessionTable { get; } = new();

    internal ControlChannel Channel { get; }

    internal byte[]? Secret { get; set; }

    /// <summary>The Challenge we sent, whose response the peer owes us (§5.1.1).</summary>
    internal byte[]? OurChallenge { get; set; }

    internal ulong? TieBreaker { get; set; }

    internal TimeSpan LastHeard { get; set; }

    internal TimeSpan? LingerUntil { get; set; }

    /// <summary>The wake-up time last put in the engine's timer queue (stale entries are skipped).</summary>
    internal TimeSpan? ScheduledWake { get; set; }

    internal bool Removed { get; set; }
}
