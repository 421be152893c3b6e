using Relay.Wire.L2tp;

namespace Relay.Control.L2tp;

/// <summary>What the engine dropped, refused and saw, for metrics and logs. Control loop only.</summary>
public sealed class L2tpCounters
{
    /// <summary>Datagrams that failed to parse, by the wire layer's reason.</summary>
    public long[] Malformed { get; } = new long[Enum.GetValues<L2tpParseStatus>().Length];

    /// <summary>Delivered messages whose AVP values were malformed (tunnel or session torn down).</summary>
    public long BadAvpValues { get; internal set; }

    public long UnknownTunnel { get; internal set; }

    /// <summary>Control messages received again (acknowledged again, not processed again; §5.8).</summary>
    public long Duplicates { get; internal set; }

    /// <summary>Control messages beyond our receive window (dropped; the peer retransmits).</summary>
    public long OutOfWindow { get; internal set; }

    /// <summary>From an address or port other than the tunnel's peer.</summary>
    public long WrongPeer { get; internal set; }

    public long RateLimited { get; internal set; }

    public long TunnelsRefused { get; internal set; }

    public long SessionsRefused { get; internal set; }

    public long AuthenticationFailures { get; internal set; }

    public long TieBreakersWon { get; internal set; }

    public long TieBreakersLost { get; internal set; }

    public long FsmErrors { get; internal set; }

    public long UnknownMandatoryAvps { get; internal set; }

    public long UnknownSession { get; internal set; }

    public long OutgoingCallsRefused { get; internal set; }

    public long TunnelsEstablished { get; internal set; }

    public long SessionsEstablished { get; internal set; }

    public long HellosSent { get; internal set; }

    public long MalformedTotal
    {
        get
        {
            long sum = 0;
            foreach (var n in Malformed)
            {
                sum += n;
            }
            return sum;
        }
    }
}
