using System.Buffers.Binary;

namespace Relay.Control.L2tp.Transport;

public sealed partial class ControlChannel
{
    /// <summary>
    /// Runs the channel's timers at <paramref name="now"/> and appends every datagram to send
    /// (retransmissions, newly opened window slots, an explicit ZLB acknowledgement) to
    /// <paramref name="output"/>. Each datagram is a fresh array the caller may keep.
    /// </summary>
    public void Poll(TimeSpan now, List<byte[]> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Failed)
        {
            return;
        }
        var acked = false;
        var congested = false;
        foreach (var m in _inFlight)
        {
            if (m.Deadline > now)
            {
                continue;
            }
            if (m.Retransmissions >= _options.MaxRetransmissions)
            {
                // RFC 2661 §5.8: no response after the configured retransmissions clears the tunnel.
                Failed = true;
                _pending.Clear();
                _inFlight.Clear();
                return;
            }
            m.Retransmissions++;
            Retransmissions++;
            m.Deadline = now + _options.RetransmitInterval(m.Retransmissions);
            // The same Ns, but the Nr MUST be brought up to date (§5.8).
            Stamp(m.Message, m.Ns, _expectedNs);
            output.Add((byte[])m.Message.Clone());
            acked = true;
            congested = true;
        }
        if (congested)
        {
            // Appendix A: a retransmission signals congestion: half the window is remembered
            // as the threshold and the window restarts at one.
            _slowStartThreshold = Math.Max(_congestionWindow / 2, 1);
            _congestionWindow = 1;
            _avoidanceCount = 0;
        }
        while (_pending.Count > 0 && WindowOpen)
        {
            var message = _pending.Dequeue();
            var ns = _nextNs++;
            Stamp(message, ns, _expectedNs);
            _inFlight.Add(new InFlightMessage(message, ns, now + _options.RetransmitInterval(0)));
            output.Add((byte[])message.Clone());
            acked = true;
        }
        if (acked)
        {
            _ackNow = false;
            _ackDeadline = null;
            return;
        }
        if (_ackNow || _ackDeadline <= now)
        {
            output.Add(BuildZeroLengthAck());
            _ackNow = false;
            _ackDeadline = null;
        }
    }

    private byte[] BuildZeroLengthAck()
    {
        ZeroLengthAcksSent++;
        var zlb = new byte[ZlbLength];
        // T=1, L=1, S=1, version 2 (RFC 2661 §3.1); session id 0; Ns is the next Ns, unconsumed.
        BinaryPrimitives.WriteUInt16BigEndian(zlb, 0xC802);
        BinaryPrimitives.WriteUInt16BigEndian(zlb.AsSpan(2), ZlbLength);
        BinaryPrimitives.WriteUInt16BigEndian(zlb.AsSpan(4), PeerTunnelId);
        Stamp(zlb, _nextNs, _expectedNs);
        return zlb;
    }
}
