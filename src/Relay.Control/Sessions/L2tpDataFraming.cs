using Relay.Wire.L2tp;

namespace Relay.Control.Sessions;

/// <summary>
/// Wraps PPP frames from the control plane (LCP, authentication, IPCP) in L2TP data messages
/// (RFC 2661 §3.1, T=0), and finds the session a received data message belongs to.
/// </summary>
internal static class L2tpDataFraming
{
    /// <summary>A data message for the peer's tunnel and session; Ns only when the session is sequenced.</summary>
    public static byte[] Wrap(ushort peerTunnelId, ushort peerSessionId, ushort? ns, ReadOnlySpan<byte> pppFrame)
    {
        var header = new L2tpHeader
        {
            Flags = ns is null ? L2tpHeaderFlags.None : L2tpHeaderFlags.Sequence,
            TunnelId = peerTunnelId,
            SessionId = peerSessionId,
            Ns = ns ?? 0,
        };
        var buffer = new byte[16 + pppFrame.Length];
        if (!header.TryWrite(buffer, pppFrame.Length, out var headerLength))
        {
            throw new InvalidOperationException("L2TP data header did not fit");
        }
        pppFrame.CopyTo(buffer.AsSpan(headerLength));
        return buffer.AsSpan(0, headerLength + pppFrame.Length).ToArray();
    }
}
