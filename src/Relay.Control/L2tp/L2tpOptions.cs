using Relay.Control.L2tp.Transport;

namespace Relay.Control.L2tp;

/// <summary>What one L2TP engine (LNS or LAC) needs to know; relayd maps its config onto this.</summary>
public sealed record L2tpOptions
{
    /// <summary>Which side of an incoming call we are: an LNS accepts ICRQ, a LAC sends it.</summary>
    public L2tpRole Role { get; init; } = L2tpRole.Lns;

    /// <summary>Our Host Name AVP (RFC 2661 §4.4.3).</summary>
    public string HostName { get; init; } = "relay";

    public string VendorName { get; init; } = "Relay";

    public ushort FirmwareRevision { get; init; } = 0x0100;

    /// <summary>
    /// The tunnel secret for a peer host name (null name: before the peer has said it); null
    /// result = no tunnel authentication. One secret serves both the challenge (§5.1.1) and
    /// AVP hiding (§4.3).
    /// </summary>
    public Func<string?, byte[]?> SecretFor { get; init; } = static _ => null;

    /// <summary>Hide the AVPs RFC 2661 allows to be hidden in what we send (needs a secret).</summary>
    public bool HideAvps { get; init; }

    /// <summary>A HELLO goes out after this long without any message from the peer (§6.5).</summary>
    public TimeSpan HelloInterval { get; init; } = TimeSpan.FromSeconds(60);

    public ReliableDeliveryOptions Reliability { get; init; } = new();

    public int MaxTunnels { get; init; } = 65_535;

    public int MaxSessionsPerTunnel { get; init; } = 1024;

    public int MaxSessions { get; init; } = 65_535;

    /// <summary>SCCRQs accepted from one source address per second (burst of twice as many).</summary>
    public int SccrqPerSecondPerSource { get; init; } = 20;

    /// <summary>Request data-message sequencing (Sequencing Required AVP in ICCN) from the peer.</summary>
    public bool RequireSequencing { get; init; }

    /// <summary>Send a Tie Breaker AVP in our SCCRQs (§4.4.3), so that a collision leaves one tunnel.</summary>
    public bool SendTieBreaker { get; init; } = true;
}
